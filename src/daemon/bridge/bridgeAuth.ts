import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AnthropicApiError } from '../../translate/anthropicError.js';
import { requestHeader } from './clientIo.js';

/**
 * Whether a presented value is the token, in time that does not depend on the token: the value is copied into a
 * buffer of the token's byte length (cut short or zero-padded), compared with `timingSafeEqual`, and only then is
 * its length checked. What varies with the presented value's own length tells its sender nothing new. No hash per
 * request: a one-shot sha256 of each side showed in the profile.
 */
function tokenMatcher(token: () => string): (given: string | undefined) => boolean {
  let known = { token: '', bytes: Buffer.alloc(0), scratch: Buffer.alloc(0) };
  return (given) => {
    const expected = token();
    if (known.token !== expected) {
      // The token may rotate.
      const bytes = Buffer.from(expected, 'utf8');
      known = { token: expected, bytes, scratch: Buffer.alloc(bytes.length) };
    }
    if (!given || !expected) return false;
    const { bytes, scratch } = known;
    scratch.fill(0);
    scratch.write(given, 'utf8');
    return timingSafeEqual(scratch, bytes) && Buffer.byteLength(given, 'utf8') === bytes.length;
  };
}

/**
 * The bridge token as `Authorization: Bearer <token>` or `x-api-key: <token>` (Claude Code sends either): a check
 * that throws Anthropic's 401 for a request with neither.
 */
export function bridgeTokenCheck(
  token: () => string,
): (authorization: string | undefined, apiKey: string | undefined) => void {
  const matches = tokenMatcher(token);
  return (authorization, apiKey) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
    if (matches(bearer) || matches(apiKey?.trim())) return;
    throw new AnthropicApiError(
      'authentication_error',
      'invalid bridge token: set ANTHROPIC_AUTH_TOKEN to the value `ccbridge token` prints',
    );
  };
}

export function bridgeAuth(token: () => string): MiddlewareHandler {
  const check = bridgeTokenCheck(token);
  // Not async, as loopbackHostOnly: a check, then next()'s own promise.
  return (c, next) => {
    check(requestHeader(c, 'authorization'), requestHeader(c, 'x-api-key'));
    return next();
  };
}
