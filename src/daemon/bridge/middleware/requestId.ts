import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/**
 * Names every bridge request (`req_…`, Anthropic's shape) and sets its `request-id` response header here, once:
 * JSON answers and errors get it from the context's prepared headers, the streamed answer copies them.
 */
export function requestId(): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async (c, next) => {
    const id = `req_${randomUUID().replaceAll('-', '')}`;
    c.set('requestId', id);
    c.header('request-id', id);
    await next();
  };
}
