import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AnthropicApiError } from '../../bridge/anthropicError.js';

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Constant-time: both sides are hashed to equal length first, so neither content nor length leaks. */
export function tokenMatches(given: string, expected: string): boolean {
  return expected.length > 0 && timingSafeEqual(digest(given), digest(expected));
}

/** The bridge token as `Authorization: Bearer <token>` or `x-api-key: <token>` (Claude Code sends either). */
export function bridgeAuth(token: () => string): MiddlewareHandler {
  return async (c, next) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
    const apiKey = c.req.header('x-api-key')?.trim();
    const expected = token();
    if (!(bearer && tokenMatches(bearer, expected)) && !(apiKey && tokenMatches(apiKey, expected))) {
      throw new AnthropicApiError('authentication_error', 'invalid bridge token: set ANTHROPIC_AUTH_TOKEN to the value `ccbridge token` prints');
    }
    await next();
  };
}
