import { hash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AnthropicApiError } from '../../translate/anthropicError.js';
import { requestHeader } from './clientIo.js';

/** One-shot: a Hash object per request showed in the profile. */
function digest(s: string): Buffer {
  return hash('sha256', s, 'buffer');
}

/**
 * The bridge token as `Authorization: Bearer <token>` or `x-api-key: <token>` (Claude Code sends either).
 * Constant-time: both sides are hashed to equal length first, so neither content nor length leaks.
 */
export function bridgeAuth(token: () => string): MiddlewareHandler {
  let known = { token: '', digest: digest('') };
  const matches = (given: string | undefined) => {
    const expected = token();
    if (known.token !== expected) known = { token: expected, digest: digest(expected) }; // the token may rotate
    return !!given && expected.length > 0 && timingSafeEqual(digest(given), known.digest);
  };
  return async (c, next) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(requestHeader(c, 'authorization') ?? '')?.[1]?.trim();
    const apiKey = requestHeader(c, 'x-api-key')?.trim();
    if (!matches(bearer) && !matches(apiKey)) {
      throw new AnthropicApiError(
        'authentication_error',
        'invalid bridge token: set ANTHROPIC_AUTH_TOKEN to the value `ccbridge token` prints',
      );
    }
    await next();
  };
}
