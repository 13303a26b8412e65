import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { AnthropicApiError } from '../../translate/anthropicError.js';
import {
  classifyHttpFailure,
  classifyStreamFailure,
  type FailureContext,
  type UpstreamFailure,
} from '../../translate/upstreamErrors.js';
import { upstreamEventError, type UpstreamEvent } from '../../translate/upstreamEvents.js';
import type { Cancellation } from './cancellation.js';
import { postUpstream, readErrorBody, UpstreamEventSource } from './upstreamClient.js';
import type { UpstreamTransport } from './upstreamTransport.js';

/**
 * One upstream attempt as a single step: send the request and wait for its first output event. It either
 * fails, classified, before any byte reached the client (so the caller may refresh a token or try another
 * account), or commits: the events read so far plus the rest of the stream.
 */

export interface UpstreamAttempt {
  url: URL;
  /** The daemon's one upstream transport (keep-alive agent, proxy, CA). */
  transport: UpstreamTransport;
  headers: Record<string, string>;
  body: string;
  cancel: Cancellation;
  /** Commit anyway after this long without output, so the client can get pings instead of silence. */
  commitAfterMs: number;
  failure: FailureContext;
  onHeaders(headers: IncomingHttpHeaders): void;
}

export type OpenResult =
  | { ok: true; first: UpstreamEvent[]; rest: UpstreamEventSource }
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

function unreachable(url: URL, err: unknown): UpstreamFailure {
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return {
    kind: 'overloaded',
    error: new AnthropicApiError('api_error', `cannot reach the Codex backend at ${url.origin}: ${code}`, {
      status: 502,
    }),
  };
}

export async function openUpstream(a: UpstreamAttempt): Promise<OpenResult> {
  let res: IncomingMessage;
  try {
    res = await postUpstream(a.url, a.transport, a.headers, a.body, a.cancel);
  } catch (err) {
    if (a.cancel.cancelled) throw err;
    return { ok: false, failure: unreachable(a.url, err) };
  }
  a.onHeaders(res.headers);
  const status = res.statusCode ?? 0;
  if (status !== 200) {
    const text = await readErrorBody(res);
    const retryAfter = res.headers['retry-after'];
    return {
      ok: false,
      failure: classifyHttpFailure(status, text, a.failure, typeof retryAfter === 'string' ? retryAfter : null),
    };
  }

  const source = new UpstreamEventSource(res);
  return new Promise<OpenResult>((resolve, reject) => {
    const first: UpstreamEvent[] = [];
    const settle = (result: OpenResult) => {
      clearTimeout(timer);
      if (result.ok) source.detach();
      else source.abort();
      resolve(result);
    };
    // Silent past the limit: commit anyway, the caller pings meanwhile.
    const timer = setTimeout(() => settle({ ok: true, first, rest: source }), a.commitAfterMs);
    source.consume(
      (events) => {
        let committed = false;
        for (const ev of events) {
          if (ev.type === 'response.failed' || ev.type === 'error')
            return settle({ ok: false, failure: classifyStreamFailure(upstreamEventError(ev), a.failure) });
          first.push(ev);
          if (OUTPUT_EVENTS.has(ev.type)) committed = true;
        }
        if (committed) settle({ ok: true, first, rest: source });
      },
      (err) => {
        if (a.cancel.cancelled) {
          clearTimeout(timer);
          return reject(new Error('client disconnected'));
        }
        if (err) return settle({ ok: false, failure: unreachable(a.url, err) });
        settle({
          ok: false,
          failure: {
            kind: 'overloaded',
            error: new AnthropicApiError('api_error', 'the Codex backend closed the stream before responding', {
              status: 502,
            }),
          },
        });
      },
    );
  });
}
