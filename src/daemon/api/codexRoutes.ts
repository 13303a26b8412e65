import { Hono } from 'hono';
import { requireAccount } from '../../core/accounts.js';
import { notFound } from '../../shared/errors.js';
import { ConnectBodySchema } from '../../shared/schemas/api.js';
import type { Daemon } from '../daemon.js';
import { runAccountTest } from '../control/runAccountTest.js';
import type { CodexService } from '../control/codexService.js';
import { validBody } from '../bridge/middleware/validBody.js';
import { controlBody } from './http.js';

/** `/api/accounts/:ref/{connect,logout,test,models}`: an account's codex control plane. */
export function accountCodexRoutes(daemon: Daemon, codex: CodexService): Hono {
  const app = new Hono();
  const viewOf = (id: string) => daemon.view().accounts.find((a) => a.id === id) ?? null;

  app.post('/:ref/connect', validBody(controlBody(ConnectBodySchema)), async (c) => {
    const { kind } = c.var.body;
    const account = requireAccount(daemon.store.get(), c.req.param('ref'));
    await codex.control.binary(); // a missing codex is reported now, not as a failed session later
    daemon.createAccountHome(account.id);
    return c.json({ session: codex.control.startLogin(account.id, kind) }, 202);
  });

  app.post('/:ref/logout', async (c) => {
    const account = requireAccount(daemon.store.get(), c.req.param('ref'));
    await codex.control.logout(account.id);
    daemon.mutate((s) => {
      const a = s.accounts.find((x) => x.id === account.id);
      if (a) a.needsLogin = false; // not connected now, which says more than needs-login
      return {
        result: null,
        events: [
          { level: 'info', category: 'account', message: `account ${account.name} logged out`, accountId: account.id },
        ],
      };
    });
    return c.json({ account: viewOf(account.id) });
  });

  app.get('/:ref/models', async (c) => {
    const account = requireAccount(daemon.store.get(), c.req.param('ref'));
    return c.json({ models: await codex.modelList(account.id) });
  });

  app.post('/:ref/test', async (c) => {
    const account = requireAccount(daemon.store.get(), c.req.param('ref'));
    return c.json(
      await runAccountTest(codex, account, {
        health: viewOf(account.id)?.health ?? null,
        bridgeUrl: daemon.bridgeUrl(),
        token: daemon.ensureToken(),
      }),
    );
  });

  return app;
}

/** `/api/login-sessions/:id`: follow or cancel a login started by connect. */
export function loginSessionRoutes(codex: CodexService): Hono {
  const app = new Hono();

  app.get('/:id', (c) => {
    const session = codex.control.logins.get(c.req.param('id'));
    if (!session) throw notFound('login_session_not_found', `no login session ${c.req.param('id')}`);
    return c.json({ session });
  });

  app.delete('/:id', async (c) => c.json({ session: await codex.control.logins.cancel(c.req.param('id')) }));

  return app;
}
