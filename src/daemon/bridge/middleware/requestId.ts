import { randomUUID } from 'node:crypto';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { MiddlewareHandler } from 'hono';

/** A bridge request's name, in Anthropic's shape. */
export function newRequestId(): string {
  return `req_${randomUUID().replaceAll('-', '')}`;
}

/**
 * Names every bridge request (`req_…`, Anthropic's shape) and puts its `request-id` header on the answer, once the
 * answer exists: a header prepared before it costs a web `Headers` object per request, and the streamed answer,
 * written to Node directly, sets its own (clientIo.ts).
 */
export function requestId(): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async (c, next) => {
    const id = newRequestId();
    c.set('requestId', id);
    await next();
    if (c.res !== RESPONSE_ALREADY_SENT) c.res.headers.set('request-id', id);
  };
}
