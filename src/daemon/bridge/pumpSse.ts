import { AnthropicApiError } from '../../translate/anthropicError.js';
import { PING_EVENT, type SseSink } from '../../translate/sseSink.js';
import type { StreamTranslator } from '../../translate/streamTranslator.js';
import type { UpstreamEvent } from '../../translate/upstreamEvents.js';
import type { Cancellation } from './cancellation.js';
import type { SseWriter } from './clientIo.js';
import { UpstreamIdleError } from './idleLimited.js';
import { QuietTimer } from './quietTimer.js';
import type { UpstreamStream } from './upstreamStream.js';

export interface TranslateOptions {
  translator: StreamTranslator;
  /** Events read while opening the upstream. */
  first: UpstreamEvent[];
  rest: UpstreamStream;
  /** Set when the client goes away. */
  cancel: Cancellation;
  /** After each upstream chunk was translated (and once more at the end). */
  afterBatch?(): void;
}

/** Codex's own stream idle timeout: an upstream silent this long is given up on (`idleLimited`, set at open). */
export const UPSTREAM_IDLE_LIMIT_MS = 300_000;

/**
 * Feeds a committed upstream stream through the translator, one socket chunk at a time, synchronously in
 * the socket's data handler. Resolves with how it ended; on a client cancel the upstream socket is
 * destroyed, otherwise it goes back to the keep-alive pool.
 */
export function translateUpstream(o: TranslateOptions): Promise<'finished' | 'client_abort'> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (how: 'finished' | 'client_abort') => {
      if (settled) return;
      settled = true;
      // A stream cut at a stop sequence is still running upstream: it cannot go back to the pool.
      if (how === 'client_abort' || o.translator.error || o.translator.cutShort) o.rest.abort();
      else o.rest.release();
      resolve(how);
    };
    o.cancel.onCancel(() => settle('client_abort'));
    const onBatch = (events: UpstreamEvent[]) => {
      if (settled) return;
      for (const ev of events) o.translator.handle(ev);
      o.afterBatch?.();
      if (o.translator.done) settle('finished');
    };
    onBatch(o.first);
    if (settled) return;
    o.rest.consume(onBatch, (err) => {
      if (settled) return;
      // The silence limit is the stream's own (idleLimited): its error already says what happened.
      if (err instanceof UpstreamIdleError) o.translator.fail(err.failure.error);
      else if (err)
        o.translator.fail(
          new AnthropicApiError('api_error', `lost the connection to the Codex backend: ${err.message}`),
        );
      else o.translator.end();
      o.afterBatch?.();
      settle('finished');
    });
  });
}

export interface PumpOptions extends Omit<TranslateOptions, 'afterBatch'> {
  sink: SseSink;
  writer: SseWriter;
  /** A `ping` goes out after this long without a write (Claude Code gives up after 300 s of silence). */
  pingMs: number;
}

/**
 * Streams a committed upstream to the client: each upstream chunk is translated as a whole and written as
 * one chunk, the last one together with the end of the response; a full client buffer pauses the upstream.
 */
export async function pumpSse(o: PumpOptions): Promise<'finished' | 'client_abort'> {
  const ping = new QuietTimer(o.pingMs, () => {
    if (o.cancel.cancelled) return;
    void o.writer.write(PING_EVENT);
    ping.start();
  });
  const how = await translateUpstream({
    ...o,
    afterBatch: () => {
      if (o.translator.done) return; // the end carries the rest
      const out = o.sink.take();
      if (!out) return;
      ping.touch();
      const drained = o.writer.write(out);
      if (drained) {
        o.rest.pause();
        void drained.then(() => o.rest.resume());
      }
    },
  });
  ping.stop();
  if (how === 'finished') o.writer.end(o.sink.take());
  return how;
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
