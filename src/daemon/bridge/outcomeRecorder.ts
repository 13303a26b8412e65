import { redactText } from '../../core/redact.js';
import type { AnthropicUsage } from '../../translate/anthropicResponseSchema.js';
import type { BridgeDeps, LiveRequest, ProxyOutcome } from './bridgeDeps.js';

/** Collects what one request did and reports it exactly once, whichever way the request ends. */
export class OutcomeRecorder implements LiveRequest {
  private readonly started = performance.now();
  private reported = false;
  /** The translator of the committed upstream, read only when someone looks at the request in flight. */
  private output: { readonly outputTokensSoFar: number } | null = null;
  readonly outcome: ProxyOutcome;

  constructor(
    private readonly deps: Pick<BridgeDeps, 'onOutcome'>,
    requestId: string,
  ) {
    this.outcome = {
      requestId,
      accountId: null,
      accountName: null,
      sessionKey: null,
      requestedModel: null,
      model: null,
      stream: false,
      status: 200,
      inputTokens: 0,
      cachedTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
      durationMs: 0,
      errorKind: null,
      error: null,
    };
  }

  get startedAt(): number {
    return performance.timeOrigin + this.started;
  }

  /** Where the output streams from, for `outputTokensSoFar`. */
  streamsFrom(translator: { readonly outputTokensSoFar: number }): void {
    this.output = translator;
  }

  outputTokensSoFar(): number {
    return this.output?.outputTokensSoFar ?? 0;
  }

  usage(u: AnthropicUsage | null, reasoningTokens = 0): void {
    if (!u) return;
    this.outcome.inputTokens = u.input_tokens + u.cache_read_input_tokens;
    this.outcome.cachedTokens = u.cache_read_input_tokens;
    this.outcome.outputTokens = u.output_tokens;
    this.outcome.reasoningTokens = reasoningTokens;
  }

  fail(kind: NonNullable<ProxyOutcome['errorKind']>, message: string, status?: number): void {
    this.outcome.errorKind = kind;
    this.outcome.error = redactText(message).slice(0, 300); // redacted before the cut can halve a secret
    if (status !== undefined) this.outcome.status = status;
  }

  report(): void {
    if (this.reported) return;
    this.reported = true;
    this.outcome.durationMs = Math.round(performance.now() - this.started);
    try {
      this.deps.onOutcome(this.outcome);
    } catch {
      // accounting must never break a response
    }
  }
}
