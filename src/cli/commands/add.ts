import { Command } from 'commander';
import * as z from 'zod';
import { controlApi } from '../../client/controlApi.js';
import { emit } from '../output.js';
import { addJsonOption, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

const AddOptionsSchema = JsonOptionSchema.extend({ model: z.string().optional() });

export function addCommand(): Command {
  return addJsonOption(
    new Command('add')
      .description('add a Codex account (an isolated CODEX_HOME); log it in with `ccbridge connect <name>`')
      .argument('<name>', 'a unique name (letters, digits, . _ -)')
      .option('-m, --model <model>', 'preferred model for this account'),
  ).action(async (name: string, _opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, AddOptionsSchema);
    const { account } = await withDaemon((c) =>
      c.call(controlApi.addAccount({ name, ...(opts.model ? { model: opts.model } : {}) })),
    );
    emit(account, opts, (a) =>
      [
        `added account ${a.name} (${a.id})${a.isActive ? ', now active' : ''}${a.isDefault ? ' and default' : ''}`,
        `next: ccbridge connect ${a.name}`,
      ].join('\n'),
    );
  });
}
