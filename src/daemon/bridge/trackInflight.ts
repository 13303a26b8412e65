import type { Server } from 'node:http';

/** Told when a server goes from idle to busy and back. */
export interface InflightWatcher {
  busy(): void;
  idle(): void;
}

export interface InflightTracker {
  /** Stop accepting, drop idle keep-alive connections, wait for the count to reach zero or the deadline, then cut. */
  drain(deadlineMs: number): Promise<boolean>;
  /** Calls `w` on every change between no request in flight and some. */
  watch(w: InflightWatcher): void;
}

/**
 * Counts requests in flight on a server, once for everything that needs to know: a graceful stop waits for them,
 * and watchers (the idle memory release) hear when the server becomes busy or idle.
 */
export function trackInflight(server: Server): InflightTracker {
  let inflight = 0;
  const watchers: InflightWatcher[] = [];
  let onIdle: (() => void) | null = null;
  server.on('request', (_req, res) => {
    if (inflight++ === 0) for (const w of watchers) w.busy();
    res.once('close', () => {
      if (--inflight > 0) return;
      for (const w of watchers) w.idle();
      onIdle?.();
    });
  });
  return {
    watch(w) {
      watchers.push(w);
    },
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
