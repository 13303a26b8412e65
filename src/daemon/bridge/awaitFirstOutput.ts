import { AnthropicApiError } from '../../translate/anthropicError.js';
import {
  classifyHttpFailure,
  classifyStreamFailure,
  type FailureContext,
  type UpstreamFailure,
} from '../../translate/upstreamErrors.js';
import { upstreamEventError, type UpstreamEvent } from '../../translate/upstreamEvents.js';
import type { Cancellation } from './cancellation.js';
import { idleLimited, UpstreamIdleError } from './idleLimited.js';
import type { UpstreamStream } from './upstreamStream.js';

/**
 * An upstream attempt either fails, classified, before any byte reached the client (so the caller may refresh a
 * token or try another account), or commits: the events read so far plus the rest of the stream.
 */
export type OpenResult =
  | { ok: true; first: UpstreamEvent[]; rest: UpstreamStream }
  | { ok: false; failure: UpstreamFailure };

/** Events after which the response has started producing output: from here on it belongs to the client. */
const OUTPUT_EVENTS = new Set([
  'response.output_item.added',
  'response.output_item.done',
  'response.content_part.added',
  'response.output_text.delta',
  'response.refusal.delta',
  'response.reasoning_summary_part.added',
  'response.reasoning_summary_text.delta',
  'response.function_call_arguments.delta',
  'response.completed',
  'response.incomplete',
]);

/** The backend cannot be reached (or the connection broke before it answered): another account may do better. */
export function unreachable(url: URL, err: unknown): UpstreamFailure {
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return {
    kind: 'overloaded',
    error: new AnthropicApiError('api_error', `cannot reach the Codex backend at ${url.origin}: ${code}`, {
      status: 502,
    }),
  };
}

export const CLOSED_BEFORE_RESPONDING: UpstreamFailure = {
  kind: 'overloaded',
  error: new AnthropicApiError('api_error', 'the Codex backend closed the stream before responding', { status: 502 }),
};

/**
 * A failure event. The WebSocket transport wraps what HTTP answers with a status as an `error` frame carrying
 * `status`, the body's `error` and the response headers: mapped exactly like that HTTP answer.
 */
function eventFailure(ev: UpstreamEvent, ctx: FailureContext): UpstreamFailure {
  const {
    type: _type,
    status,
    headers,
    ...body
  } = ev as UpstreamEvent & {
    status?: unknown;
    headers?: Record<string, string>;
  };
  if (ev.type === 'error' && typeof status === 'number')
    return classifyHttpFailure(status, JSON.stringify(body), ctx, headers?.['retry-after'] ?? null);
  return classifyStreamFailure(upstreamEventError(ev), ctx);
}

export interface FirstOutputOptions {
  url: URL;
  cancel: Cancellation;
  /** The upstream silent this long (before or after its first output) is given up on. */
  idleLimitMs: number;
  failure: FailureContext;
}

/**
 * Reads a started response until its first output event (commit), a failure event, or its end. The silence limit
 * is set here, once, for the whole response: an upstream silent past it before any output is a `timeout_error`
 * failure (the client has had pings meanwhile); after the commit, the same timer ends the stream. Rejects only
 * when the client went away.
 */
export function awaitFirstOutput(upstream: UpstreamStream, o: FirstOutputOptions): Promise<OpenResult> {
  const source = idleLimited(upstream, o.idleLimitMs);
  return new Promise<OpenResult>((resolve, reject) => {
    const first: UpstreamEvent[] = [];
    const settle = (result: OpenResult) => {
      if (result.ok) source.detach();
      else source.abort();
      resolve(result);
    };
    source.consume(
      (events) => {
        let committed = false;
        for (const ev of events) {
          if (ev.type === 'response.failed' || ev.type === 'error')
            return settle({ ok: false, failure: eventFailure(ev, o.failure) });
          first.push(ev);
          if (OUTPUT_EVENTS.has(ev.type)) committed = true;
        }
        if (committed) settle({ ok: true, first, rest: source });
      },
      (err) => {
        if (o.cancel.cancelled) {
          source.abort();
          return reject(new Error('client disconnected'));
        }
        if (err instanceof UpstreamIdleError) return settle({ ok: false, failure: err.failure });
        settle({ ok: false, failure: err ? unreachable(o.url, err) : CLOSED_BEFORE_RESPONDING });
      },
    );
  });
}
