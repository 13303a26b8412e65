import { CcbridgeError } from '../shared/errors.js';
import type { AccountReadResult } from './appServerProtocol.js';
import { AUTH_READ_MAX_AGE_MS, readAuthFile, tokenFacts, type AuthDotJson } from './authFile.js';
import { REFRESH_WINDOW_MS } from './authStatus.js';

export interface Credentials {
  accessToken: string;
  chatgptAccountId: string | null;
  /** Access-token expiry (epoch ms), null when the JWT has no readable `exp`. */
  expiresAt: number | null;
}

export interface CredentialsRequest {
  /** Refresh even if the token looks valid (the upstream answered 401). */
  forceRefresh?: boolean;
  /**
   * The token the upstream rejected. If auth.json already holds a different one (someone refreshed meanwhile),
   * that one is returned without another refresh, so a burst of 401s costs one refresh.
   */
  rejectedAccessToken?: string;
}

export interface TokenKeeperOptions {
  homeFor: (accountId: string) => string;
  /** Account name for messages (`ccbridge connect <name>`). */
  nameFor?: (accountId: string) => string;
  /** Asks codex to refresh: `account/read {refreshToken: true}` on the account's app-server. */
  refresh: (accountId: string) => Promise<AccountReadResult>;
  /** The refresh token was refused for good: the daemon marks the account needs-login and logs an event. */
  onNeedsLogin?: (accountId: string, message: string) => void;
  now?: () => number;
  refreshWindowMs?: number;
}

type Tokens = NonNullable<AuthDotJson['tokens']>;

/**
 * Hands the bridge a valid access token per account. ccbridge never redeems a refresh token itself (they rotate:
 * two redeemers strand each other); when a token is about to expire, or the upstream rejected it, the account's
 * codex app-server refreshes it and this re-reads auth.json. At most one refresh per account is in flight.
 */
export class TokenKeeper {
  private readonly inflight = new Map<string, Promise<Credentials>>();
  /** Refresh token that failed permanently, per account: no further refresh attempts until auth.json changes. */
  private readonly deadRefreshToken = new Map<string, string>();
  private readonly now: () => number;
  private readonly windowMs: number;

  constructor(private readonly opts: TokenKeeperOptions) {
    this.now = opts.now ?? Date.now;
    this.windowMs = opts.refreshWindowMs ?? REFRESH_WINDOW_MS;
  }

  async credentials(accountId: string, req: CredentialsRequest = {}): Promise<Credentials> {
    const tokens = this.tokens(accountId, !req.forceRefresh && req.rejectedAccessToken === undefined);
    const current = toCredentials(tokens);
    const rotatedMeanwhile = req.rejectedAccessToken !== undefined && req.rejectedAccessToken !== tokens.access_token;
    if (rotatedMeanwhile && this.fresh(current)) return current;
    if (!req.forceRefresh && this.fresh(current)) return current;

    let pending = this.inflight.get(accountId);
    if (!pending) {
      pending = this.refresh(accountId, tokens).finally(() => this.inflight.delete(accountId));
      this.inflight.set(accountId, pending);
    }
    return pending;
  }

  private fresh(c: Credentials): boolean {
    return c.expiresAt === null || c.expiresAt > this.now() + this.windowMs;
  }

  private name(accountId: string): string {
    return this.opts.nameFor?.(accountId) ?? accountId;
  }

  /**
   * The account's tokens from auth.json. A routine request may go by a read up to AUTH_READ_MAX_AGE_MS old (no stat
   * per request; a token codex replaced is seen within that), but only when that read holds a fresh token: a missing
   * (a login that just landed), expiring or rejected one is checked against the file itself.
   */
  private tokens(accountId: string, recentReadWillDo = false): Tokens {
    const home = this.opts.homeFor(accountId);
    if (recentReadWillDo) {
      const recent = readAuthFile(home, { maxAgeMs: AUTH_READ_MAX_AGE_MS });
      const tokens = recent.kind === 'ok' ? recent.auth.tokens : undefined;
      if (tokens && this.fresh(toCredentials(tokens))) return tokens;
    }
    const read = readAuthFile(home);
    const name = this.name(accountId);
    if (read.kind === 'ok' && read.auth.tokens) return read.auth.tokens;
    const why = read.kind === 'invalid' ? `its auth.json is unreadable (${read.error})` : 'it has no ChatGPT login';
    throw new CcbridgeError(
      'not_connected',
      `Account "${name}" is not connected: ${why}. Run \`ccbridge connect ${name}\`.`,
      { status: 401 },
    );
  }

  private needsLogin(accountId: string): CcbridgeError {
    const name = this.name(accountId);
    return new CcbridgeError(
      'needs_login',
      `Account "${name}" must sign in again: ChatGPT refused its refresh token. Run \`ccbridge connect ${name}\`.`,
      { status: 401 },
    );
  }

  private async refresh(accountId: string, before: Tokens): Promise<Credentials> {
    if (this.deadRefreshToken.get(accountId) === before.refresh_token) throw this.needsLogin(accountId);
    const result = await this.opts.refresh(accountId);
    // codex answers a permanently failed refresh (401, refresh_token_expired/reused/invalidated) with no account.
    if (result.account === null) {
      this.deadRefreshToken.set(accountId, before.refresh_token);
      const err = this.needsLogin(accountId);
      this.opts.onNeedsLogin?.(accountId, err.message);
      throw err;
    }
    this.deadRefreshToken.delete(accountId);
    const after = this.tokens(accountId);
    if (after.access_token === before.access_token) {
      throw new CcbridgeError(
        'refresh_failed',
        `Could not refresh the access token of "${this.name(accountId)}" (codex kept the old one; the auth server may be unreachable). Try again shortly.`,
        { status: 503 },
      );
    }
    return toCredentials(after);
  }
}

function toCredentials(tokens: Tokens): Credentials {
  const { identity, expiresAt } = tokenFacts(tokens);
  return {
    accessToken: tokens.access_token,
    chatgptAccountId: tokens.account_id ?? identity.chatgptAccountId,
    expiresAt,
  };
}
