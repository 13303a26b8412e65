import { Hono } from 'hono';
import type { Daemon } from '../daemon.js';

export function systemRoutes(daemon: Daemon, shutdown: (reason: string) => void): Hono {
  const app = new Hono();

  app.get('/state', (c) => c.json(daemon.view()));

  app.get('/token', (c) => c.json({ token: daemon.ensureToken() }));

  app.post('/token/rotate', (c) => c.json({ token: daemon.rotateToken() }));

  app.post('/shutdown', (c) => {
    // Answer first, so the caller knows the request was taken, then stop.
    setImmediate(() => shutdown('shutdown requested over the control socket'));
    return c.json({ stopping: true, pid: process.pid }, 202);
  });

  return app;
}
