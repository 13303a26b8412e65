import { Command } from 'commander';
import type { StateView } from '../../shared/schemas/api.js';
import { emit, table } from '../output.js';
import { addJsonOption, authLabel, fastLabel, getState, withDaemon, type JsonOption } from './shared.js';

export function formatAccountList(state: StateView): string {
  if (!state.accounts.length) return 'no accounts yet; add one with `ccbridge add <name>`';
  const rows = [['', 'NAME', 'ID', 'STATE', 'EMAIL', 'PLAN', 'MODEL', 'FAST']];
  for (const a of state.accounts) {
    rows.push([
      `${a.isActive ? '*' : ' '}${a.isDefault ? 'd' : ' '}`,
      a.name,
      a.id,
      authLabel(a),
      a.auth.email ?? '-',
      a.auth.planType ?? '-',
      a.model ?? '(default)',
      fastLabel(a),
    ]);
  }
  return `${table(rows)}\n\n* active  d default`;
}

export function listCommand(): Command {
  return addJsonOption(
    new Command('list').alias('ls').description('list accounts with their state, model and fast mode'),
  ).action(async (opts: JsonOption) => {
    const state = await withDaemon(getState);
    // JSON is the account list alone; the whole daemon state is under `status --json` (`.state`).
    if (opts.json) emit({ accounts: state.accounts }, opts, () => '');
    else emit(state, opts, formatAccountList);
  });
}
