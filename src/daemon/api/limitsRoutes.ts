import { Hono } from 'hono';
import { resolveCodexBinary } from '../../codex/codexBinary.js';
import { requireAccount } from '../../core/accounts.js';
import type { Daemon } from '../daemon.js';
import type { LimitsKeeper } from '../control/limitsKeeper.js';

/** `POST /api/accounts/:ref/limits/refresh`: read the account's limits through codex now. */
export function limitsRoutes(daemon: Daemon, limits: LimitsKeeper): Hono {
  const app = new Hono();
  app.post('/:ref/limits/refresh', async (c) => {
    const account = requireAccount(daemon.store.get(), c.req.param('ref'));
    // A missing or too-old codex is the caller's error (exit 1 with how to install), not a stale snapshot.
    await resolveCodexBinary();
    // A failed read is not an error here: the view shows the last numbers, stale, with the reason.
    await limits.refresh(account.id);
    return c.json({ account: daemon.view().accounts.find((a) => a.id === account.id) ?? null });
  });
  return app;
}
