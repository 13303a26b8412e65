import type { Server } from 'node:http';

/**
 * Counts requests in flight on a server so a graceful stop can wait for them: stop accepting,
 * drop idle keep-alive connections, wait for the count to reach zero or the deadline, then cut.
 */
export function trackInflight(server: Server): { drain(deadlineMs: number): Promise<boolean> } {
  let inflight = 0;
  let onIdle: (() => void) | null = null;
  server.on('request', (_req, res) => {
    inflight++;
    res.once('close', () => {
      inflight--;
      if (inflight === 0) onIdle?.();
    });
  });
  return {
    async drain(deadlineMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const idle =
        inflight === 0 ? Promise.resolve(true) : new Promise<boolean>((resolve) => (onIdle = () => resolve(true)));
      const timer = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), deadlineMs).unref());
      const finished = await Promise.race([idle, timer]);
      server.closeAllConnections();
      await closed;
      return finished;
    },
  };
}
