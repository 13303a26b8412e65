import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { EventLog } from '../core/eventLog.js';
import type { StateStore } from '../core/stateStore.js';
import { localDate } from '../shared/localDate.js';
import { effectiveFastMode, routeAccount } from '../core/accounts.js';
import { ensurePrivateDir } from '../core/fsSecure.js';
import { rememberSecret } from '../core/redact.js';
import { accountHome, type Paths } from '../shared/paths.js';
import type { CodexModel } from '../shared/schemas/codexModel.js';
import { VERSION } from '../shared/version.js';
import { NOT_CONNECTED, type AuthStatus, type LoginSession } from '../shared/schemas/auth.js';
import type { AccountView, StateView, Stats, Traffic } from '../shared/schemas/api.js';
import type { CcbEvent, EventInput } from '../shared/schemas/events.js';
import type { Account, StateFile } from '../shared/schemas/state.js';

export interface Mutation<T> {
  result: T;
  events: EventInput[];
}

/**
 * What other subsystems contribute to the state view. Each is replaced when its subsystem is
 * wired in (codex auth, limits keeper, router, login sessions).
 */
export interface ViewProviders {
  auth(account: Account): AuthStatus;
  limits(account: Account): AccountView['limits'];
  health(account: Account): AccountView['health'];
  routeAccountId(state: StateFile): string | null;
  /** Why requests do not go to the active account right now (failover, balance, all exhausted). */
  routeReason(state: StateFile): string | null;
  loginSessions(): LoginSession[];
  /** The account's model list as the bridge resolves against it (null: the built-in one). */
  models(accountId: string): CodexModel[] | null;
  /** Today's requests and tokens (the usage history). */
  stats(): Stats;
  /** Requests in flight and the last minute's rate (the traffic meter). */
  traffic(): Traffic;
  /** The traffic view is changing (requests in flight or in the last minute): live views refresh it every second. */
  trafficActive(): boolean;
}

type ChangeListener = () => void;

/** The daemon's service container: state owner, event log, and the hooks routes call. */
export class Daemon {
  readonly paths: Paths;
  readonly store: StateStore;
  readonly events: EventLog;
  readonly startedAt = new Date();
  readonly bridge: { host: string; port: number };
  readonly providers: ViewProviders = {
    auth: () => NOT_CONNECTED,
    limits: () => null,
    health: () => ({ state: 'ok', until: null, reason: null }),
    routeAccountId: (state) => routeAccount(state)?.id ?? null,
    routeReason: () => null,
    loginSessions: () => [],
    models: () => null,
    stats: () => ({ day: localDate(Date.now()), requests: 0, errors: 0, inputTokens: 0, outputTokens: 0 }),
    traffic: () => ({ inflight: [], inflightCount: 0, lastMinute: { requests: 0, inputTokens: 0, outputTokens: 0 } }),
    trafficActive: () => false,
  };
  readonly #changeListeners = new Set<ChangeListener>();
  readonly #shutdownHooks: Array<() => Promise<void> | void> = [];
  readonly #removalHooks: Array<(accountId: string) => Promise<void> | void> = [];
  #changeTimer: NodeJS.Timeout | null = null;
  readonly #homes = new Map<string, string>();

  constructor(paths: Paths, store: StateStore, events: EventLog, bridge: { host: string; port: number }) {
    this.paths = paths;
    this.store = store;
    this.events = events;
    this.bridge = bridge;
    store.onChange(() => this.notifyChange());
    rememberSecret(store.get().bridge.token);
  }

  /** Runs a registry mutation atomically, then logs what it reports. */
  mutate<T>(fn: (draft: StateFile) => Mutation<T>): T {
    const { result, events } = this.store.update(fn);
    for (const e of events) this.log(e);
    return result;
  }

  log(input: EventInput): CcbEvent {
    return this.events.append(input);
  }

  /** Coalesces bursts of changes (a 50-account script) into one state push per tick. */
  notifyChange(): void {
    if (this.#changeTimer) return;
    this.#changeTimer = setTimeout(() => {
      this.#changeTimer = null;
      for (const listener of this.#changeListeners) listener();
    }, 25);
  }

  onChange(listener: ChangeListener): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  onShutdown(hook: () => Promise<void> | void): void {
    this.#shutdownHooks.push(hook);
  }

  /** Runs before an account's home is deleted (e.g. a best-effort codex logout). */
  onAccountRemoval(hook: (accountId: string) => Promise<void> | void): void {
    this.#removalHooks.push(hook);
  }

  async beforeAccountRemoval(accountId: string): Promise<void> {
    await Promise.allSettled(this.#removalHooks.map(async (hook) => hook(accountId)));
  }

  async runShutdownHooks(): Promise<void> {
    await Promise.allSettled(this.#shutdownHooks.map(async (hook) => hook()));
  }

  bridgeUrl(): string {
    const host = this.bridge.host.includes(':') ? `[${this.bridge.host}]` : this.bridge.host;
    return `http://${host}:${this.bridge.port}`;
  }

  /** What Claude Code's ANTHROPIC_BASE_URL is; cheap, unlike view() (which maps every account). */
  bridgeBaseUrl(): string {
    return `${this.bridgeUrl()}/anthropic`;
  }

  /** Asked for every account on every request (auth status): built once per account. */
  accountHome(accountId: string): string {
    let home = this.#homes.get(accountId);
    if (!home) this.#homes.set(accountId, (home = accountHome(this.paths, accountId)));
    return home;
  }

  createAccountHome(accountId: string): void {
    ensurePrivateDir(dirname(this.accountHome(accountId)));
    ensurePrivateDir(this.accountHome(accountId));
  }

  deleteAccountHome(accountId: string): void {
    // Retries: a file that appears while the tree is removed (a process that wrote there just exited) fails
    // Node 20's removal with ENOTEMPTY.
    rmSync(dirname(this.accountHome(accountId)), { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
  }

  ensureToken(): string {
    const existing = this.store.get().bridge.token;
    if (existing) return existing;
    return this.rotateToken();
  }

  rotateToken(): string {
    const token = randomBytes(32).toString('base64url');
    rememberSecret(token);
    this.store.update((s) => {
      s.bridge.token = token;
    });
    this.log({ level: 'info', category: 'system', message: 'bridge token generated' });
    return token;
  }

  view(): StateView {
    const state = this.store.get();
    return {
      version: VERSION,
      pid: process.pid,
      startedAt: this.startedAt.toISOString(),
      dataDir: this.paths.dataDir,
      socketPath: this.paths.socketPath,
      bridge: {
        host: this.bridge.host,
        port: this.bridge.port,
        url: this.bridgeUrl(),
        baseUrl: this.bridgeBaseUrl(),
      },
      settings: state.settings,
      activeAccountId: state.activeAccountId,
      defaultAccountId: state.defaultAccountId,
      routeAccountId: this.providers.routeAccountId(state),
      routeReason: this.providers.routeReason(state),
      accounts: state.accounts.map((account) => this.#accountView(state, account)),
      loginSessions: this.providers.loginSessions(),
      stats: this.providers.stats(),
      traffic: this.providers.traffic(),
    };
  }

  #accountView(state: StateFile, account: Account): AccountView {
    const fast = effectiveFastMode(state, account);
    const auth = this.providers.auth(account);
    return {
      ...account,
      isActive: state.activeAccountId === account.id,
      isDefault: state.defaultAccountId === account.id,
      effectiveFastMode: fast.value,
      fastModeSource: fast.source,
      auth: account.needsLogin && auth.state !== 'not-connected' ? { ...auth, state: 'needs-login' } : auth,
      limits: this.providers.limits(account),
      health: this.providers.health(account),
    };
  }
}

export function ensureDataDirs(paths: Paths): void {
  ensurePrivateDir(paths.dataDir);
  ensurePrivateDir(paths.runDir);
  mkdirSync(paths.accountsDir, { recursive: true, mode: 0o700 });
}
