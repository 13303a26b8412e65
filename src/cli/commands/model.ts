import { Command } from 'commander';
import * as z from 'zod';
import { controlApi } from '../../client/controlApi.js';
import { emit } from '../output.js';
import { addJsonOption, getState, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';
import { requireAccountView } from './requireAccountView.js';
import { requireListedModel } from '../requireListedModel.js';

const ModelOptionsSchema = JsonOptionSchema.extend({ force: z.boolean().optional() });

export function modelCommand(): Command {
  return addJsonOption(
    new Command('model')
      .description("show or set an account's preferred model (`default` clears it)")
      .argument('<account>', 'account id or name')
      .argument('[model]', 'model slug, e.g. gpt-5.5')
      .option('--force', "set a model the account's model list does not have"),
  ).action(async (ref: string, model: string | undefined, _opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, ModelOptionsSchema);
    const account = await withDaemon(async (c) => {
      const current = requireAccountView(await getState(c), ref);
      if (model === undefined) return current;
      if (model !== 'default' && !opts.force) await requireListedModel(c, current, model);
      return (await c.call(controlApi.patchAccount(ref, { model: model === 'default' ? null : model }))).account;
    });
    emit({ account: account.name, model: account.model }, opts, (d) => `${d.account}: ${d.model ?? '(default model)'}`);
  });
}
