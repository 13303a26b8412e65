import { Hono } from 'hono';
import {
  activateAccount,
  addAccount,
  removeAccount,
  renameAccount,
  requireAccount,
  setAccountModel,
  setDefaultAccount,
  setEnabled,
  setFastOverride,
} from '../../core/accounts.js';
import { CreateAccountBodySchema, PatchAccountBodySchema } from '../../shared/schemas/api.js';
import type { EventInput } from '../../shared/schemas/events.js';
import type { Daemon } from '../daemon.js';
import { validBody } from '../bridge/middleware/validBody.js';
import { controlBody } from './http.js';

export function accountRoutes(daemon: Daemon): Hono {
  const app = new Hono();
  const viewOf = (id: string) => daemon.view().accounts.find((a) => a.id === id) ?? null;

  app.post('/', validBody(controlBody(CreateAccountBodySchema)), (c) => {
    const body = c.var.body;
    const account = daemon.mutate((s) => {
      const { account, events } = addAccount(s, body);
      return { result: account, events };
    });
    daemon.createAccountHome(account.id);
    return c.json({ account: viewOf(account.id) }, 201);
  });

  app.patch('/:ref', validBody(controlBody(PatchAccountBodySchema)), (c) => {
    const body = c.var.body;
    const id = daemon.mutate((s) => {
      const id = requireAccount(s, c.req.param('ref')).id;
      const events: EventInput[] = [];
      if (body.name !== undefined) events.push(...renameAccount(s, id, body.name));
      if (body.enabled !== undefined) events.push(...setEnabled(s, id, body.enabled));
      if (body.model !== undefined) events.push(...setAccountModel(s, id, body.model));
      if (body.fastMode !== undefined) events.push(...setFastOverride(s, id, body.fastMode));
      return { result: id, events };
    });
    return c.json({ account: viewOf(id) });
  });

  app.delete('/:ref', async (c) => {
    const ref = c.req.param('ref');
    const target = requireAccount(daemon.store.get(), ref);
    await daemon.beforeAccountRemoval(target.id);
    const account = daemon.mutate((s) => {
      const { account, events } = removeAccount(s, target.id);
      return { result: account, events };
    });
    daemon.deleteAccountHome(account.id);
    return c.json({ removed: account });
  });

  app.post('/:ref/activate', (c) => {
    const id = daemon.mutate((s) => {
      const id = requireAccount(s, c.req.param('ref')).id;
      return { result: id, events: activateAccount(s, id) };
    });
    return c.json({ account: viewOf(id) });
  });

  app.post('/:ref/default', (c) => {
    const id = daemon.mutate((s) => {
      const id = requireAccount(s, c.req.param('ref')).id;
      return { result: id, events: setDefaultAccount(s, id) };
    });
    return c.json({ account: viewOf(id) });
  });

  return app;
}
