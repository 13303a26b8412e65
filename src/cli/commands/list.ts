import { Command } from 'commander';
import { formatResetTime } from '../../shared/format.js';
import type { AccountView, StateView } from '../../shared/schemas/api.js';
import { type ColumnFit, emit, fittedTable, outputWidth } from '../output.js';
import { addJsonOption, authLabel, fastLabel, getState, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

/** Which columns give way first on a narrow terminal: the id (in --json), then email, plan, model. */
const FITS: Record<string, ColumnFit> = {
  ID: { order: 1, mode: 'drop' },
  EMAIL: { order: 2, mode: 'shrink', min: 12 },
  PLAN: { order: 3, mode: 'drop' },
  MODEL: { order: 4, mode: 'shrink', min: 10 },
  FAST: { order: 5, mode: 'drop' },
};

/** The state column; an account out of quota says until when. */
function stateLabel(a: AccountView, now: number): string {
  const label = authLabel(a);
  if (label !== 'exhausted' || !a.health.until) return label;
  return `exhausted until ${formatResetTime(Date.parse(a.health.until), now)}`;
}

export function formatAccountList(state: StateView, width = Infinity, now = Date.now()): string {
  if (!state.accounts.length) return 'no accounts yet; add one with `ccbridge add <name>`';
  const rows = [['', 'NAME', 'ID', 'STATE', 'EMAIL', 'PLAN', 'MODEL', 'FAST']];
  for (const a of state.accounts) {
    rows.push([
      `${a.isActive ? '*' : ' '}${a.isDefault ? 'd' : ' '}`,
      a.name,
      a.id,
      stateLabel(a, now),
      a.auth.email ?? '-',
      a.auth.planType ?? '-',
      a.model ?? '(default)',
      fastLabel(a),
    ]);
  }
  return `${fittedTable(rows, width, FITS)}\n\n* active  d default`;
}

export function listCommand(): Command {
  return addJsonOption(
    new Command('list').alias('ls').description('list accounts with their state, model and fast mode'),
  ).action(async (_opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, JsonOptionSchema);
    const state = await withDaemon(getState);
    // JSON is the account list alone; the whole daemon state is under `status --json` (`.state`).
    if (opts.json) emit({ accounts: state.accounts }, opts, () => '');
    else emit(state, opts, (s) => formatAccountList(s, outputWidth()));
  });
}
