import type { UpstreamEvent } from '../../translate/upstreamEvents.js';

/**
 * One upstream response as batches of parsed Responses events, whatever carried them (an HTTP SSE body or a
 * WebSocket's frames): pushed to whoever consumes it, synchronously as they arrive. Without a consumer (between
 * opening and streaming) batches wait and the transport is paused.
 */
export interface UpstreamStream {
  /** Delivers batches (first whatever waited) until the end; `onEnd` gets the transport error, if any. */
  consume(onBatch: (events: UpstreamEvent[]) => void, onEnd: (err: Error | null) => void): void;
  /** Stop delivering; later batches wait for the next `consume`. */
  detach(): void;
  pause(): void;
  resume(): void;
  /** Client gone or stream broken: stop the response upstream (drop the connection, or cancel the response). */
  abort(): void;
  /** The response is over for the client: let the transport finish it quietly and reuse the connection. */
  release(): void;
}
