import { Argument, Command, Option } from 'commander';
import * as z from 'zod';
import { controlApi } from '../../client/controlApi.js';
import type { StateView } from '../../shared/schemas/api.js';
import { usageError } from '../../shared/errors.js';
import { emit, table } from '../output.js';
import { addJsonOption, fastLabel, getState, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

const FastOptionsSchema = JsonOptionSchema.extend({ account: z.string().optional() });

function fastSummary(state: StateView) {
  return {
    global: state.settings.fastMode,
    accounts: state.accounts.map((a) => ({
      name: a.name,
      override: a.fastMode,
      effective: a.effectiveFastMode,
      source: a.fastModeSource,
    })),
  };
}

export function fastCommand(): Command {
  return addJsonOption(
    new Command('fast')
      .description(
        'fast mode (service tier "priority": faster, uses more quota): global, or per account with --account',
      )
      .addArgument(new Argument('[mode]', 'on | off (| inherit with --account)').choices(['on', 'off', 'inherit']))
      .addOption(new Option('-a, --account <account>', 'set the override of one account instead of the global mode')),
  ).action(async (mode: 'on' | 'off' | 'inherit' | undefined, _opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, FastOptionsSchema);
    if (mode === 'inherit' && !opts.account)
      throw usageError('usage', '`inherit` only applies with --account <account>');
    const state = await withDaemon(async (c) => {
      if (mode && opts.account) {
        await c.call(controlApi.patchAccount(opts.account, { fastMode: mode === 'inherit' ? null : mode }));
      } else if (mode) {
        await c.call(controlApi.patchSettings({ fastMode: mode === 'on' }));
      }
      return getState(c);
    });
    emit(fastSummary(state), opts, () =>
      [
        `global fast mode: ${state.settings.fastMode ? 'on' : 'off'}`,
        ...(state.accounts.length
          ? ['', table([['ACCOUNT', 'FAST'], ...state.accounts.map((a) => [a.name, fastLabel(a)])])]
          : []),
      ].join('\n'),
    );
  });
}
