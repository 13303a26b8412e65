import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { AnthropicApiError } from '../../bridge/anthropicError.js';
import { classifyHttpFailure, classifyStreamFailure, type FailureContext, type UpstreamFailure } from '../../bridge/upstreamErrors.js';
import { upstreamEventError, type UpstreamEvent } from '../../bridge/upstreamEvents.js';
import type { Cancellation } from './cancellation.js';
import { postUpstream, readErrorBody, upstreamEventBatches } from './upstreamClient.js';

/**
 * One upstream attempt as a single step: send the request and wait for its first output event. It either
 * fails, classified, before any byte reached the client (so the caller may refresh a token or try another
 * account), or commits: the events read so far plus the rest of the stream.
 */

export interface UpstreamAttempt {
  url: URL;
  headers: Record<string, string>;
  body: string;
  cancel: Cancellation;
  /** Commit anyway after this long without output, so the client can get pings instead of silence. */
  commitAfterMs: number;
  failure: FailureContext;
  onHeaders(headers: IncomingHttpHeaders): void;
}

export type OpenResult = { ok: true; first: UpstreamEvent[]; rest: EventBatchStream } | { ok: false; failure: UpstreamFailure };

/** The committed remainder of the upstream stream; `next()` hands out event batches. */
export class EventBatchStream {
  constructor(
    private readonly iter: AsyncGenerator<UpstreamEvent[]>,
    private pending: Promise<IteratorResult<UpstreamEvent[]>> | null,
    private readonly res: IncomingMessage,
  ) {}

  next(): Promise<IteratorResult<UpstreamEvent[]>> {
    const p = this.pending ?? this.iter.next();
    this.pending = null;
    return p;
  }

  /** Client gone or stream broken: drop the connection. */
  abort(): void {
    this.res.destroy();
  }

  /**
   * The response is over for the client: read whatever the upstream still sends (normally nothing after
   * `response.completed`) so the socket returns to the keep-alive pool; destroy it if that takes too long.
   */
  release(): void {
    if (this.res.complete) return;
    const guard = setTimeout(() => this.res.destroy(), RELEASE_TIMEOUT_MS);
    void (async () => {
      try {
        while (!(await this.next()).done);
      } catch {
        // a broken tail is no one's business any more
      } finally {
        clearTimeout(guard);
      }
    })();
  }
}

const RELEASE_TIMEOUT_MS = 5000;

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

const TIMEOUT = Symbol('timeout');

function unreachable(url: URL, err: unknown): UpstreamFailure {
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return { kind: 'overloaded', error: new AnthropicApiError('api_error', `cannot reach the Codex backend at ${url.origin}: ${code}`, { status: 502 }) };
}

export async function openUpstream(a: UpstreamAttempt): Promise<OpenResult> {
  let res: IncomingMessage;
  try {
    res = await postUpstream(a.url, a.headers, a.body, a.cancel);
  } catch (err) {
    if (a.cancel.cancelled) throw err;
    return { ok: false, failure: unreachable(a.url, err) };
  }
  a.onHeaders(res.headers);
  const status = res.statusCode ?? 0;
  if (status !== 200) {
    const text = await readErrorBody(res);
    const retryAfter = res.headers['retry-after'];
    return { ok: false, failure: classifyHttpFailure(status, text, a.failure, typeof retryAfter === 'string' ? retryAfter : null) };
  }

  const iter = upstreamEventBatches(res);
  const first: UpstreamEvent[] = [];
  // One timer for the whole wait, raced by every read.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(resolve, a.commitAfterMs, TIMEOUT)));
  try {
    for (;;) {
      const pending = iter.next();
      const r = await Promise.race([pending, deadline]);
      if (r === TIMEOUT) return { ok: true, first, rest: new EventBatchStream(iter, pending, res) };
      if (r.done) {
        return { ok: false, failure: { kind: 'overloaded', error: new AnthropicApiError('api_error', 'the Codex backend closed the stream before responding', { status: 502 }) } };
      }
      let committed = false;
      for (const ev of r.value) {
        if (ev.type === 'response.failed' || ev.type === 'error') {
          res.destroy();
          return { ok: false, failure: classifyStreamFailure(upstreamEventError(ev), a.failure) };
        }
        first.push(ev);
        if (OUTPUT_EVENTS.has(ev.type)) committed = true;
      }
      if (committed) return { ok: true, first, rest: new EventBatchStream(iter, null, res) };
    }
  } catch (err) {
    res.destroy();
    if (a.cancel.cancelled) throw err;
    return { ok: false, failure: unreachable(a.url, err) };
  } finally {
    clearTimeout(timer);
  }
}
