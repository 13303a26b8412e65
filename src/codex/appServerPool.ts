import { mkdirSync } from 'node:fs';
import { CcbridgeError } from '../shared/errors.js';
import { AppServerClient } from './appServerClient.js';
import { resolveCodexBinary } from './codexBinary.js';
import { codexEnv } from './codexEnv.js';

type Env = Record<string, string | undefined>;

export interface CodexProcessOptions {
  /** The account's CODEX_HOME. */
  homeFor: (accountId: string) => string;
  /** Base environment (default process.env); cleaned per account by codexEnv. */
  env?: Env;
  /** Name for error messages (default: the id). */
  labelFor?: (accountId: string) => string;
  requestTimeoutMs?: number;
}

/** Starts a fresh `codex app-server` for one account (binary check, clean env, handshake). */
export async function startAppServer(opts: CodexProcessOptions, accountId: string): Promise<AppServerClient> {
  const env = opts.env ?? process.env;
  const bin = await resolveCodexBinary(env);
  const home = opts.homeFor(accountId);
  mkdirSync(home, { recursive: true, mode: 0o700 }); // codex refuses a CODEX_HOME that does not exist
  return AppServerClient.start({
    bin: bin.path,
    env: codexEnv(home, env),
    label: opts.labelFor?.(accountId) ?? accountId,
    requestTimeoutMs: opts.requestTimeoutMs,
  });
}

export interface AppServerPoolOptions extends CodexProcessOptions {
  /** Close an account's app-server after this long unused (default 5 min). */
  idleMs?: number;
}

interface Entry {
  client: Promise<AppServerClient>;
  users: number;
  idleTimer: NodeJS.Timeout | null;
}

type PoolNotificationHandler = (accountId: string, params: unknown, method: string) => void;

/**
 * One app-server per account while it is in use: started on first use, shared by concurrent callers, closed
 * after `idleMs` without users, on `evict` (its auth changed under it) and on `closeAll` (daemon stop).
 */
export class AppServerPool {
  private readonly entries = new Map<string, Entry>();
  private readonly subscriptions: Array<{ method: string; handler: PoolNotificationHandler }> = [];
  private readonly idleMs: number;
  /** Set by closeAll: a read still scheduled when the daemon stops must not start a process nobody will close. */
  private closed = false;

  constructor(private readonly opts: AppServerPoolOptions) {
    this.idleMs = opts.idleMs ?? 5 * 60_000;
  }

  /**
   * Runs `fn` with the account's app-server, starting one if needed. A crashed one is replaced; so is a stuck one:
   * a request that timed out gets its process killed, and the next use starts a new one.
   */
  async use<T>(accountId: string, fn: (client: AppServerClient) => Promise<T>): Promise<T> {
    const entry = this.acquire(accountId);
    try {
      return await fn(await entry.client);
    } catch (err) {
      if (err instanceof CcbridgeError && err.code === 'codex_timeout' && this.entries.get(accountId) === entry)
        void this.evict(accountId);
      throw err;
    } finally {
      this.release(accountId, entry);
    }
  }

  /** Notifications from every pooled app-server, tagged with the account (e.g. `account/rateLimits/updated`). */
  onNotification(method: string, handler: PoolNotificationHandler): () => void {
    const sub = { method, handler };
    this.subscriptions.push(sub);
    return () => {
      const i = this.subscriptions.indexOf(sub);
      if (i >= 0) this.subscriptions.splice(i, 1);
    };
  }

  /** pid of the account's running app-server, if any (diagnostics and tests). */
  async pidOf(accountId: string): Promise<number | undefined> {
    const entry = this.entries.get(accountId);
    if (!entry) return undefined;
    const client = await entry.client.catch(() => null);
    return client && !client.closed ? client.pid : undefined;
  }

  /** Closes the account's app-server so the next use starts one that reads auth.json afresh. */
  async evict(accountId: string): Promise<void> {
    const entry = this.entries.get(accountId);
    if (!entry) return;
    this.entries.delete(accountId);
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    const client = await entry.client.catch(() => null);
    await client?.close();
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.entries.keys()].map((id) => this.evict(id)));
  }

  private acquire(accountId: string): Entry {
    if (this.closed) throw new CcbridgeError('daemon_stopping', 'the daemon is stopping; codex is not started again');
    let entry = this.entries.get(accountId);
    if (!entry) {
      const client = startAppServer(this.opts, accountId);
      entry = { client, users: 0, idleTimer: null };
      const created = entry;
      // A process that fails to start or dies (crash, kill) leaves the pool, so the next use starts a new one.
      client.then(
        (c) => {
          this.wire(accountId, c);
          void c.exited.then(() => this.entries.get(accountId) === created && this.entries.delete(accountId));
        },
        () => this.entries.get(accountId) === created && this.entries.delete(accountId),
      );
      this.entries.set(accountId, entry);
    }
    entry.users += 1;
    if (entry.idleTimer) {
      clearTimeout(entry.idleTimer);
      entry.idleTimer = null;
    }
    return entry;
  }

  private release(accountId: string, entry: Entry): void {
    entry.users -= 1;
    if (entry.users > 0 || this.entries.get(accountId) !== entry) return;
    entry.idleTimer = setTimeout(() => void this.evict(accountId), this.idleMs);
    entry.idleTimer.unref();
  }

  private wire(accountId: string, client: AppServerClient): void {
    client.onNotification('*', (params, method) => {
      for (const sub of this.subscriptions) {
        if (sub.method === method || sub.method === '*') sub.handler(accountId, params, method);
      }
    });
  }
}
