import { Hono } from 'hono';
import { findAccount, requireAccount } from '../../core/accounts.js';
import type { UsageHistory } from '../../core/usageHistory.js';
import { UsageQuerySchema, type UsageReport } from '../../shared/schemas/usage.js';
import type { Daemon } from '../daemon.js';

/**
 * `GET /api/usage?days=N&account=ref`: the usage history per local day and account, oldest day first.
 * An account removed since is still found by the name it had.
 */
export function usageRoutes(daemon: Daemon, usage: UsageHistory): Hono {
  const app = new Hono();
  app.get('/', (c) => {
    const query = UsageQuerySchema.parse(c.req.query());
    const state = daemon.store.get();
    let only: Set<string> | undefined;
    if (query.account) {
      const current = findAccount(state, query.account);
      only = current ? new Set([current.id]) : usage.idsFor(query.account);
      if (only.size === 0) requireAccount(state, query.account); // throws the usual "no account" error
    }
    const nameOf = (id: string) => state.accounts.find((a) => a.id === id)?.name ?? null;
    return c.json(usage.report(query.days, only, nameOf) satisfies UsageReport);
  });
  return app;
}
