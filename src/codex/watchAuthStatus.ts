import type { AuthStatus } from '../shared/schemas/auth.js';

export interface AuthWatchOptions {
  /** Accounts to watch right now (asked on every tick, so added/removed accounts are followed). */
  accountIds: () => string[];
  /** Current status of one account (cheap: a stat, a parse only when auth.json changed). */
  statusOf: (accountId: string) => AuthStatus;
  /** A status changed; `previous` is null the first time an account is seen (daemon start, account added). */
  onChange: (accountId: string, status: AuthStatus, previous: AuthStatus | null) => void;
  intervalMs?: number;
}

/**
 * Polls every account's auth status and reports changes: a login, refresh or logout done by codex (or by hand),
 * and the time-driven connected → expiring → expired steps. Polling a stat beats fs.watch here: codex replaces
 * the file, which breaks inode watches, and homes come and go. Returns the stop function.
 */
export function watchAuthStatus(opts: AuthWatchOptions): () => void {
  const last = new Map<string, string>();
  const tick = () => {
    const ids = opts.accountIds();
    for (const id of [...last.keys()]) if (!ids.includes(id)) last.delete(id);
    for (const id of ids) {
      let status: AuthStatus;
      try {
        status = opts.statusOf(id);
      } catch {
        continue;
      }
      const key = JSON.stringify(status);
      const before = last.get(id);
      last.set(id, key);
      if (before !== key) opts.onChange(id, status, before === undefined ? null : (JSON.parse(before) as AuthStatus));
    }
  };
  tick();
  const timer = setInterval(tick, opts.intervalMs ?? 2_000);
  timer.unref();
  return () => clearInterval(timer);
}
