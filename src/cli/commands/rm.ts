import { Command } from 'commander';
import * as z from 'zod';
import { createInterface } from 'node:readline/promises';
import { CcbridgeError } from '../../shared/errors.js';
import { controlApi } from '../../client/controlApi.js';
import { emit } from '../output.js';
import { addJsonOption, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

const RmOptionsSchema = JsonOptionSchema.extend({ yes: z.boolean().optional() });

export function rmCommand(): Command {
  return addJsonOption(
    new Command('rm')
      .alias('remove')
      .description('remove an account: logs it out and deletes its isolated home')
      .argument('<account>', 'account id or name')
      .option('-y, --yes', 'do not ask for confirmation'),
  ).action(async (ref: string, _opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, RmOptionsSchema);
    if (!opts.yes) {
      if (!process.stdin.isTTY)
        throw new CcbridgeError('confirm_needed', `removing ${ref} deletes its login; pass --yes to confirm`, {
          exitCode: 2,
        });
      if (!(await confirm(`Remove account ${ref} and delete its Codex login? [y/N] `))) {
        throw new CcbridgeError('aborted', 'nothing removed');
      }
    }
    const { removed } = await withDaemon(
      (c) => c.call(controlApi.removeAccount(ref)),
      'signing out and removing the account',
    );
    emit(removed, opts, (a) => `removed account ${a.name} (${a.id})`);
  });
}
