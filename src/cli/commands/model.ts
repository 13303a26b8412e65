import { Command } from 'commander';
import type { AccountView } from '../../shared/schemas/api.js';
import { emit } from '../output.js';
import { addJsonOption, encodeRef, getState, withDaemon, type JsonOption } from './shared.js';
import { requireAccountView } from './accountLookup.js';

export function modelCommand(): Command {
  return addJsonOption(
    new Command('model')
      .description("show or set an account's preferred model (`default` clears it)")
      .argument('<account>', 'account id or name')
      .argument('[model]', 'model slug, e.g. gpt-5.5'),
  ).action(async (ref: string, model: string | undefined, opts: JsonOption) => {
    const account = await withDaemon(async (c) => {
      if (model === undefined) return requireAccountView(await getState(c), ref);
      const body = { model: model === 'default' ? null : model };
      return (await c.request<{ account: AccountView }>('PATCH', `/api/accounts/${encodeRef(ref)}`, body)).account;
    });
    emit({ account: account.name, model: account.model }, opts, (d) => `${d.account}: ${d.model ?? '(default model)'}`);
  });
}
