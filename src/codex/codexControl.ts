import type * as z from 'zod';
import type { AuthStatus, LoginKind, LoginSession } from '../shared/schemas/auth.js';
import { AppServerRpcError } from './appServerClient.js';
import {
  AccountReadResultSchema,
  ModelListResultSchema,
  RateLimitsReadResultSchema,
  RateLimitsUpdatedSchema,
  type AccountReadResult,
  type RateLimitSnapshot,
  type RateLimitsReadResult,
} from './appServerProtocol.js';
import type { CodexModel } from '../shared/schemas/codexModel.js';
import { AppServerPool, type AppServerPoolOptions } from './appServerPool.js';
import { forgetAuthFile, readAuthFile } from './authFile.js';
import { authStatusFrom } from './authStatus.js';
import { watchAuthStatus } from './watchAuthStatus.js';
import { resolveCodexBinary, type CodexBinary } from './codexBinary.js';
import { runCodexLogout } from './runCodexLogout.js';
import { LoginSessionManager } from './loginSessionManager.js';
import { TokenKeeper, type Credentials, type CredentialsRequest } from './tokenKeeper.js';

export interface CodexControlOptions extends AppServerPoolOptions {
  /** Account name for user-facing messages (`ccbridge connect <name>`). */
  nameFor?: (accountId: string) => string;
  /** A refresh failed for good: mark the account needs-login and log an event (message names the fix). */
  onNeedsLogin?: (accountId: string, message: string) => void;
  /** A login session changed state. */
  onLoginSession?: (session: LoginSession) => void;
  /** A login succeeded (auth.json is new): clear needs-login, refresh views. */
  onLoginSucceeded?: (accountId: string) => void | Promise<void>;
  loginTimeoutMs?: number;
  now?: () => number;
}

/**
 * The control plane of every account, all through the real codex CLI run with the account's CODEX_HOME:
 * login sessions, auth status, token refresh, logout, rate limits and the model list. The daemon builds one.
 */
export class CodexControl {
  readonly pool: AppServerPool;
  readonly tokens: TokenKeeper;
  readonly logins: LoginSessionManager;
  private readonly now: () => number;

  constructor(private readonly opts: CodexControlOptions) {
    this.now = opts.now ?? Date.now;
    this.pool = new AppServerPool({ ...opts, labelFor: opts.labelFor ?? opts.nameFor });
    this.tokens = new TokenKeeper({
      homeFor: opts.homeFor,
      nameFor: opts.nameFor,
      now: this.now,
      refresh: (accountId) => this.accountRead(accountId, { refreshToken: true }),
      onNeedsLogin: opts.onNeedsLogin,
    });
    this.logins = new LoginSessionManager({
      process: { ...opts, labelFor: opts.labelFor ?? opts.nameFor },
      timeoutMs: opts.loginTimeoutMs,
      now: this.now,
      onSucceeded: async (accountId) => {
        forgetAuthFile(this.opts.homeFor(accountId));
        await this.pool.evict(accountId); // its in-memory auth predates the login
        await opts.onLoginSucceeded?.(accountId);
      },
    });
    if (opts.onLoginSession) this.logins.on('change', opts.onLoginSession);
  }

  /** The codex binary and version, checked (clear error when missing or too old). */
  binary(): Promise<CodexBinary> {
    return resolveCodexBinary(this.opts.env ?? process.env);
  }

  /**
   * From auth.json (re-read when it changed; checked at most every `maxAgeMs` when given) and the daemon's
   * needs-login flag. Never carries a token.
   */
  authStatus(accountId: string, opts: { needsLogin?: boolean; maxAgeMs?: number } = {}): AuthStatus {
    const read = readAuthFile(this.opts.homeFor(accountId), { maxAgeMs: opts.maxAgeMs });
    return authStatusFrom(read, { now: this.now(), needsLogin: opts.needsLogin });
  }

  /** Reports auth status changes of the listed accounts (auth.json written by codex, expiry steps). */
  watchAuth(opts: {
    accounts: () => Array<{ id: string; needsLogin?: boolean }>;
    onChange: (accountId: string, status: AuthStatus, previous: AuthStatus | null) => void;
    intervalMs?: number;
  }): () => void {
    const needsLogin = new Map<string, boolean>();
    return watchAuthStatus({
      accountIds: () => {
        const list = opts.accounts();
        needsLogin.clear();
        for (const a of list) needsLogin.set(a.id, a.needsLogin ?? false);
        return list.map((a) => a.id);
      },
      statusOf: (id) => this.authStatus(id, { needsLogin: needsLogin.get(id) }),
      onChange: opts.onChange,
      intervalMs: opts.intervalMs,
    });
  }

  /** A valid access token for the bridge; see TokenKeeper. */
  credentials(accountId: string, req?: CredentialsRequest): Promise<Credentials> {
    return this.tokens.credentials(accountId, req);
  }

  startLogin(accountId: string, kind: LoginKind): LoginSession {
    return this.logins.start(accountId, kind);
  }

  accountRead(accountId: string, params: { refreshToken?: boolean } = {}): Promise<AccountReadResult> {
    return this.pool.use(accountId, (c) => c.request('account/read', params, { schema: AccountReadResultSchema }));
  }

  /** Signs the account out through codex (which also revokes the tokens); `codex logout` on an older codex. */
  async logout(accountId: string): Promise<void> {
    try {
      await this.pool.use(accountId, (c) => c.request('account/logout', {}));
    } catch (err) {
      if (!(err instanceof AppServerRpcError && err.isUnknownMethod)) throw err;
      await runCodexLogout(this.opts, accountId);
    } finally {
      forgetAuthFile(this.opts.homeFor(accountId));
      await this.pool.evict(accountId);
    }
  }

  readRateLimits(accountId: string): Promise<RateLimitsReadResult> {
    return this.pool.use(accountId, (c) =>
      c.request('account/rateLimits/read', undefined, { schema: RateLimitsReadResultSchema }),
    );
  }

  /** `account/rateLimits/updated` from any pooled app-server: a sparse snapshot to merge into the last read. */
  onRateLimitsUpdated(handler: (accountId: string, rateLimits: RateLimitSnapshot) => void): () => void {
    return this.pool.onNotification('account/rateLimits/updated', (accountId, params) => {
      const parsed = RateLimitsUpdatedSchema.safeParse(params);
      if (parsed.success) handler(accountId, parsed.data.rateLimits);
    });
  }

  /** Every model the account may use (all pages of `model/list`). */
  listModels(accountId: string, opts: { includeHidden?: boolean } = {}): Promise<CodexModel[]> {
    return this.pool.use(accountId, async (c) => {
      const models: CodexModel[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 50; page++) {
        const res: z.infer<typeof ModelListResultSchema> = await c.request(
          'model/list',
          { cursor, limit: 100, includeHidden: opts.includeHidden ?? false },
          { schema: ModelListResultSchema },
        );
        models.push(...res.data);
        cursor = res.nextCursor ?? null;
        if (!cursor) break;
      }
      return models;
    });
  }

  /** Daemon stop: cancel logins, close every app-server. */
  async close(): Promise<void> {
    await this.logins.close();
    await this.pool.closeAll();
  }
}
