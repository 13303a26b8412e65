import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/**
 * CORS for the one browser origin the user configured (`ccbridge config corsOrigin …`), and nothing at all
 * otherwise: without an origin the middleware is skipped, it is not free on every request.
 */
export function corsWhenConfigured(configuredOrigin: () => string | null): MiddlewareHandler {
  const allowOrigin = cors({
    origin: (origin) => (origin && configuredOrigin() === origin ? origin : null),
    exposeHeaders: ['request-id'],
  });
  return (c, next) => (configuredOrigin() ? allowOrigin(c, next) : next());
}
