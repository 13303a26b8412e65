import { AnthropicApiError } from '../../bridge/anthropicError.js';
import { PING_EVENT, type SseSink } from '../../bridge/sseSink.js';
import type { StreamTranslator } from '../../bridge/streamTranslator.js';
import type { UpstreamEvent } from '../../bridge/upstreamEvents.js';
import type { EventBatchStream } from './openUpstream.js';

export interface SseStreamOptions {
  translator: StreamTranslator;
  sink: SseSink;
  /** Events read while opening the upstream. */
  first: UpstreamEvent[];
  rest: EventBatchStream;
  /** A `ping` goes out after this long without upstream output (Claude Code gives up after 300 s of silence). */
  pingMs: number;
  onEnd(reason: 'finished' | 'client_abort'): void;
}

/**
 * The client-facing SSE body: each upstream chunk is translated as a whole and written as one chunk.
 * Backpressure comes for free (the next upstream read happens only when the client side pulls), and a
 * cancelled body (client gone) closes the upstream socket.
 */
export function sseResponseStream(o: SseStreamOptions): ReadableStream<Uint8Array> {
  let pending: Promise<IteratorResult<UpstreamEvent[]>> | null = null;
  let ended = false;
  const end = (reason: 'finished' | 'client_abort') => {
    if (ended) return;
    ended = true;
    o.rest.close();
    o.onEnd(reason);
  };
  /** Writes what the translator produced; returns whether anything went out (or the stream closed). */
  const flush = (controller: ReadableStreamDefaultController<Uint8Array>): boolean => {
    const out = o.sink.take();
    if (out) controller.enqueue(Buffer.from(out));
    if (o.translator.done) {
      controller.close();
      end('finished');
      return true;
    }
    return Boolean(out);
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const ev of o.first) o.translator.handle(ev);
      flush(controller);
    },
    // A pull must enqueue before it returns: a web stream does not pull again for a reader that is
    // already waiting, so a batch that translates to nothing (e.g. `response.in_progress`) would stall it.
    async pull(controller) {
      while (!ended) {
        pending ??= o.rest.next();
        let timer: NodeJS.Timeout | undefined;
        const quiet = new Promise<'quiet'>((resolve) => (timer = setTimeout(resolve, o.pingMs, 'quiet')));
        try {
          const r = await Promise.race([pending, quiet]);
          if (r === 'quiet') {
            controller.enqueue(Buffer.from(PING_EVENT));
            return;
          }
          pending = null;
          if (r.done) o.translator.end();
          else for (const ev of r.value) o.translator.handle(ev);
        } catch (err) {
          if (ended) return;
          o.translator.fail(new AnthropicApiError('api_error', `lost the connection to the Codex backend: ${(err as Error).message}`));
        } finally {
          clearTimeout(timer);
        }
        if (flush(controller)) return;
      }
    },
    cancel() {
      end('client_abort');
    },
  });
}
