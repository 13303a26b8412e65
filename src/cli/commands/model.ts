import { Command } from 'commander';
import { controlApi } from '../../client/controlApi.js';
import { emit } from '../output.js';
import { addJsonOption, getState, withDaemon, type JsonOption } from './shared.js';
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
      return (await c.call(controlApi.patchAccount(ref, { model: model === 'default' ? null : model }))).account;
    });
    emit({ account: account.name, model: account.model }, opts, (d) => `${d.account}: ${d.model ?? '(default model)'}`);
  });
}
