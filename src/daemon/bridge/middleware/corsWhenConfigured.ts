import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { BridgeEnv } from '../bridgeRuntime.js';

/**
 * CORS for the one browser origin the user configured (`ccbridge config corsOrigin …`), and nothing at all
 * otherwise: without an origin the middleware is skipped, it is not free on every request.
 */
export function corsWhenConfigured(configuredOrigin: () => string | null): MiddlewareHandler<BridgeEnv> {
  const allowOrigin = cors({
    origin: (origin) => (origin && configuredOrigin() === origin ? origin : null),
    exposeHeaders: ['request-id'],
  });
  return (c, next) => {
    if (!configuredOrigin()) return next();
    c.set('preparedHeaders', true); // a streamed answer copies them (clientIo.ts)
    return allowOrigin(c, next);
  };
}
