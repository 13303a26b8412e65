import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Daemon } from '../daemon.js';

const HEARTBEAT_MS = 15_000;
/** How often the state goes out while the traffic view changes by itself (elapsed, tokens so far, the rate). */
const TRAFFIC_MS = 1000;

export function eventRoutes(daemon: Daemon, liveStreams: Set<() => void>): Hono {
  const app = new Hono();

  app.get('/', (c) => {
    const limit = Math.min(1000, Math.max(1, Number(c.req.query('limit') ?? 100) || 100));
    return c.json({ events: daemon.events.recent(limit) });
  });

  /** Live feed for the TUI and `--watch`: the full state first, then events and state changes. */
  app.get('/stream', (c) =>
    streamSSE(c, async (stream) => {
      let closed = false;
      let wake: () => void = () => {};
      const done = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const close = () => {
        closed = true;
        wake();
      };
      liveStreams.add(close);
      stream.onAbort(close);
      const send = (event: string, data: unknown) => {
        if (!closed) void stream.writeSSE({ event, data: JSON.stringify(data) }).catch(close);
      };
      const offEvents = daemon.events.subscribe((e) => send('event', e));
      const offState = daemon.onChange(() => send('state', daemon.view()));
      const heartbeat = setInterval(() => send('ping', {}), HEARTBEAT_MS);
      // Once more after the traffic went quiet, so the rate seen last is the zero.
      let wasActive = false;
      const traffic = setInterval(() => {
        const active = daemon.providers.trafficActive();
        if (active || wasActive) send('state', daemon.view());
        wasActive = active;
      }, TRAFFIC_MS);
      send('state', daemon.view());
      await done;
      clearInterval(heartbeat);
      clearInterval(traffic);
      offEvents();
      offState();
      liveStreams.delete(close);
    }),
  );

  return app;
}
