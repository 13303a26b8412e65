import type { AuthStatus } from '../shared/schemas/auth.js';
import { NOT_CONNECTED } from '../shared/schemas/auth.js';
import { tokenFacts, type AuthFileRead } from './authFile.js';

/** codex refreshes an access token this long before it expires (S1 `CHATGPT_ACCESS_TOKEN_REFRESH_WINDOW_MINUTES`). */
export const REFRESH_WINDOW_MS = 5 * 60_000;
/** Without a readable `exp`, codex refreshes after this (`TOKEN_REFRESH_INTERVAL`). */
export const REFRESH_INTERVAL_MS = 8 * 24 * 3600_000;

/**
 * What ccbridge shows about an account's login, derived from auth.json and the daemon's `needsLogin` flag
 * (set after a permanent refresh failure). Pure: `now` is passed in.
 */
export function authStatusFrom(read: AuthFileRead, opts: { now: number; needsLogin?: boolean }): AuthStatus {
  if (read.kind === 'missing') return opts.needsLogin ? { ...NOT_CONNECTED, state: 'needs-login' } : NOT_CONNECTED;
  if (read.kind === 'invalid') return { ...NOT_CONNECTED, state: 'needs-login' };
  const tokens = read.auth.tokens;
  // API-key logins carry no ChatGPT tokens, which is all ccbridge can use.
  if (!tokens) return opts.needsLogin ? { ...NOT_CONNECTED, state: 'needs-login' } : NOT_CONNECTED;

  const { identity, expiresAt } = tokenFacts(tokens);
  const lastRefresh = read.auth.last_refresh ?? null;
  const base = {
    email: identity.email,
    planType: identity.planType,
    chatgptAccountId: tokens.account_id ?? identity.chatgptAccountId,
    accessTokenExpiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
    lastRefresh,
  };
  if (opts.needsLogin) return { ...base, state: 'needs-login' };
  return { ...base, state: tokenState(expiresAt, lastRefresh, opts.now) };
}

function tokenState(expiresAt: number | null, lastRefresh: string | null, now: number): AuthStatus['state'] {
  if (expiresAt === null) {
    const refreshed = lastRefresh ? Date.parse(lastRefresh) : Number.NaN;
    return Number.isFinite(refreshed) && now - refreshed > REFRESH_INTERVAL_MS ? 'expired' : 'connected';
  }
  if (expiresAt <= now) return 'expired';
  if (expiresAt <= now + REFRESH_WINDOW_MS) return 'expiring';
  return 'connected';
}
