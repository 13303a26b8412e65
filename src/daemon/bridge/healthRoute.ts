import { Hono } from 'hono';
import type { BridgeEnv, BridgeRuntime } from './bridgeRuntime.js';

/**
 * Unauthenticated: `GET /health` (no secrets) and Claude Code's `HEAD /api/hello` warm-up probe, which it sends
 * to `${ANTHROPIC_BASE_URL}/api/hello`: under `/anthropic` too, the base URL `ccbridge env` gives it.
 */
export function healthRoute(rt: BridgeRuntime): Hono<BridgeEnv> {
  const app = new Hono<BridgeEnv>();
  app.get('/health', (c) =>
    c.json({
      ok: true,
      service: 'ccbridge',
      version: rt.deps.version,
      codexVersion: rt.deps.codexVersion(),
      ...rt.deps.health(),
    }),
  );
  app.on(['GET', 'HEAD'], ['/api/hello', '/anthropic/api/hello'], (c) => c.body(null, 200));
  return app;
}
