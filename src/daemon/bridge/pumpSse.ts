import { AnthropicApiError } from '../../bridge/anthropicError.js';
import { PING_EVENT, type SseSink } from '../../bridge/sseSink.js';
import type { StreamTranslator } from '../../bridge/streamTranslator.js';
import type { UpstreamEvent } from '../../bridge/upstreamEvents.js';
import type { Cancellation } from './cancellation.js';
import type { SseWriter } from './clientIo.js';
import type { EventBatchStream } from './openUpstream.js';

export interface PumpOptions {
  translator: StreamTranslator;
  sink: SseSink;
  /** Events read while opening the upstream. */
  first: UpstreamEvent[];
  rest: EventBatchStream;
  writer: SseWriter;
  /** A `ping` goes out after this long without a write (Claude Code gives up after 300 s of silence). */
  pingMs: number;
  /** Set when the client goes away. */
  cancel: Cancellation;
}

/**
 * Moves a committed upstream stream to the client: each upstream chunk is translated as a whole and written
 * as one chunk; the next upstream read waits for the client to drain (backpressure). Resolves with how it
 * ended; on a client cancel the upstream socket is destroyed, otherwise it goes back to the keep-alive pool.
 */
export async function pumpSse(o: PumpOptions): Promise<'finished' | 'client_abort'> {
  const ping = setTimeout(function tick() {
    if (o.cancel.cancelled) return;
    void o.writer.write(PING_EVENT);
    ping.refresh();
  }, o.pingMs);
  o.cancel.onCancel(() => o.rest.abort());

  const flush = async () => {
    const out = o.sink.take();
    if (!out) return;
    ping.refresh();
    await o.writer.write(out);
  };

  try {
    for (const ev of o.first) o.translator.handle(ev);
    while (!o.translator.done && !o.cancel.cancelled) {
      await flush();
      try {
        const r = await o.rest.next();
        if (r.done) o.translator.end();
        else for (const ev of r.value) o.translator.handle(ev);
      } catch (err) {
        if (o.cancel.cancelled) break;
        o.translator.fail(new AnthropicApiError('api_error', `lost the connection to the Codex backend: ${(err as Error).message}`));
      }
    }
  } finally {
    clearTimeout(ping);
  }
  if (o.cancel.cancelled) {
    o.rest.abort();
    return 'client_abort';
  }
  // The last events ride on the same write as the end of the response.
  o.writer.end(o.sink.take());
  o.rest.release();
  return 'finished';
}

/** Writes a `ping` now and every `pingMs` until `settled` settles; returns what it settled with. */
export async function writePingsUntil<T>(settled: Promise<T>, writer: SseWriter, pingMs: number): Promise<T> {
  void writer.write(PING_EVENT);
  const timer = setInterval(() => void writer.write(PING_EVENT), pingMs);
  try {
    return await settled;
  } finally {
    clearInterval(timer);
  }
}
