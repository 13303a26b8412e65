import { anthropicErrorEvent, type AnthropicApiError } from '../../bridge/anthropicError.js';
import { PING_EVENT } from '../../bridge/sseSink.js';

export interface PendingSseOptions {
  /** The real stream once an account produced output, or the error once none could. */
  settled: Promise<ReadableStream<Uint8Array> | AnthropicApiError>;
  pingMs: number;
  requestId: string;
  /** The client left before the stream was settled: stop the attempts. */
  onCancel(): void;
}

/**
 * The body of a streaming request whose upstream is still silent: status and pings go out now (Claude
 * Code gives up after 300 s without a byte; the SDK ignores pings before `message_start`), while the
 * attempts, failover included, go on. Then the real stream follows, or an SSE `error` event.
 */
export function pendingSseStream(o: PendingSseOptions): ReadableStream<Uint8Array> {
  let inner: ReadableStreamDefaultReader<Uint8Array> | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(Buffer.from(PING_EVENT));
    },
    async pull(controller) {
      if (!inner) {
        let timer: NodeJS.Timeout | undefined;
        const quiet = new Promise<'quiet'>((resolve) => (timer = setTimeout(resolve, o.pingMs, 'quiet')));
        const r = await Promise.race([o.settled, quiet]).finally(() => clearTimeout(timer));
        if (r === 'quiet') {
          controller.enqueue(Buffer.from(PING_EVENT));
          return;
        }
        if (!(r instanceof ReadableStream)) {
          controller.enqueue(Buffer.from(anthropicErrorEvent(r, o.requestId)));
          controller.close();
          return;
        }
        inner = r.getReader();
      }
      const { done, value } = await inner.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      if (inner) return inner.cancel(reason);
      o.onCancel();
    },
  });
}
