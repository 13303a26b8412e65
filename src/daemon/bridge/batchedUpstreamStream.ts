import type { UpstreamEvent } from '../../translate/upstreamEvents.js';
import type { UpstreamStream } from './upstreamStream.js';

/**
 * The delivery half of an UpstreamStream, the same whatever carries the events (an HTTP SSE body, a WebSocket's
 * frames): batches go straight to the consumer, or wait with the transport paused until one comes; the end is
 * reported only once nothing waits. Subclasses feed it (`deliver`, `end`) and say how to pause their transport.
 */
export abstract class BatchedUpstreamStream implements UpstreamStream {
  private onBatch: ((events: UpstreamEvent[]) => void) | null = null;
  private onEnd: ((err: Error | null) => void) | null = null;
  private waiting: UpstreamEvent[] = [];
  /** The transport ended (with its error, if any); set once. */
  protected ended: { err: Error | null } | null = null;

  abstract pause(): void;
  abstract resume(): void;
  abstract abort(): void;
  abstract release(): void;

  /**
   * Hands `events` to the consumer, or keeps them for the next `consume`, pausing the transport unless
   * `pauseWhileWaiting` is false (its connection already went on to other work).
   */
  protected deliver(events: UpstreamEvent[], pauseWhileWaiting = true): void {
    if (this.onBatch) this.onBatch(events);
    else {
      this.waiting.push(...events);
      if (pauseWhileWaiting) this.pause();
    }
  }

  /** The transport is over; the consumer hears of it now, or after what waits has been delivered. */
  end(err: Error | null): void {
    if (this.ended) return;
    this.ended = { err };
    if (this.onEnd && !this.waiting.length) this.onEnd(err);
  }

  /** Delivers batches (first whatever waited) until the end; `onEnd` gets the transport error, if any. */
  consume(onBatch: (events: UpstreamEvent[]) => void, onEnd: (err: Error | null) => void): void {
    this.onBatch = onBatch;
    this.onEnd = onEnd;
    if (this.waiting.length) {
      const events = this.waiting;
      this.waiting = [];
      onBatch(events);
    }
    if (this.ended) onEnd(this.ended.err);
    else this.resume();
  }

  /** Stop delivering; later batches wait for the next `consume`. */
  detach(): void {
    this.onBatch = null;
    this.onEnd = null;
  }
}
