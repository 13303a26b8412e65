import { upstreamTimeout, type UpstreamFailure } from '../../translate/upstreamErrors.js';
import { QuietTimer } from './quietTimer.js';
import type { UpstreamStream } from './upstreamStream.js';

/** The upstream sent nothing for the whole limit. */
export class UpstreamIdleError extends Error {
  readonly failure: UpstreamFailure;
  constructor(limitMs: number) {
    const failure = upstreamTimeout('nothing', limitMs);
    super(failure.error.message);
    this.failure = failure;
  }
}

/**
 * One silence limit for a whole upstream response, whatever the transport, from its start to its end: one timer,
 * touched by every batch (a timestamp, not a timer operation: QuietTimer), so waiting for the first output and streaming after it share the limit instead of
 * each starting its own. It stops while the response is paused for a slow client (that is not upstream silence).
 * When it runs out the upstream is dropped and the consumer's `onEnd` gets an UpstreamIdleError.
 */
export function idleLimited(inner: UpstreamStream, limitMs: number): UpstreamStream {
  let onEnd: ((err: Error | null) => void) | null = null;
  let expired: UpstreamIdleError | null = null;
  let over = false;
  const expire = () => {
    expired = new UpstreamIdleError(limitMs);
    inner.abort();
    const end = onEnd;
    onEnd = null;
    end?.(expired);
  };
  const timer = new QuietTimer(limitMs, expire);
  const stop = () => timer.stop();
  return {
    consume(batch, end) {
      if (expired) return end(expired);
      onEnd = end;
      inner.consume(
        (events) => {
          timer.touch();
          batch(events);
        },
        (err) => {
          over = true;
          stop();
          onEnd = null;
          end(err);
        },
      );
    },
    detach() {
      onEnd = null;
      inner.detach();
    },
    pause() {
      stop();
      inner.pause();
    },
    resume() {
      if (!over && !expired) timer.start();
      inner.resume();
    },
    abort() {
      stop();
      inner.abort();
    },
    release() {
      stop();
      inner.release();
    },
  };
}
