import { upstreamTimeout, type UpstreamFailure } from '../../translate/upstreamErrors.js';
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
 * refreshed by every batch, so waiting for the first output and streaming after it share the limit instead of
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
  let timer: NodeJS.Timeout | null = setTimeout(expire, limitMs);
  const stop = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return {
    consume(batch, end) {
      if (expired) return end(expired);
      onEnd = end;
      inner.consume(
        (events) => {
          timer?.refresh();
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
      if (!timer && !over && !expired) timer = setTimeout(expire, limitMs);
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
