import { Command } from 'commander';
import * as z from 'zod';
import { controlApi } from '../../client/controlApi.js';
import type { DaemonClient } from '../../client/daemonClient.js';
import type { AccountView, StateView } from '../../shared/schemas/api.js';
import { EXIT_OUT_OF_QUOTA } from '../../shared/errors.js';
import { accountProblem } from '../accountReadiness.js';
import { buildLimitsReport, formatLimitsReport } from '../limitsReport.js';
import { withSpinner } from '../spinner.js';
import { emit } from '../output.js';
import { requireAccountView } from './requireAccountView.js';
import { addJsonOption, getState, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

const LimitsOptionsSchema = JsonOptionSchema.extend({ refresh: z.boolean().optional(), watch: z.boolean().optional() });
type LimitsOptions = z.infer<typeof LimitsOptionsSchema>;

/** Accounts codex can read limits for: enabled and logged in (an expired token is refreshed by codex). */
const readable = (a: AccountView) => a.enabled && ['connected', 'expiring', 'expired'].includes(a.auth.state);

const width = () => Math.max(40, process.stdout.columns || 80);

async function refresh(client: DaemonClient, state: StateView, only: ReadonlySet<string> | undefined): Promise<void> {
  const ids = state.accounts.filter((a) => (only ? only.has(a.id) : readable(a))).map((a) => a.id);
  await Promise.all(ids.map((id) => client.call(controlApi.refreshLimits(id))));
}

/** Redraws on every state the daemon pushes (and each second for the countdowns) until Ctrl-C. */
async function watch(client: DaemonClient, only: ReadonlySet<string> | undefined, opts: LimitsOptions): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let last: StateView | null = null;
  let printed = '';
  const render = () => {
    if (!last) return;
    const report = buildLimitsReport(last, only);
    if (opts.json) {
      // The daemon also pushes states for changes outside the limits (traffic, every second while busy).
      const line = JSON.stringify(report);
      if (line !== printed) process.stdout.write(`${line}\n`);
      printed = line;
    } else
      process.stdout.write(
        `${process.stdout.isTTY ? '\x1b[H\x1b[2J' : ''}${formatLimitsReport(report, Date.now(), width())}\n`,
      );
  };
  const ticker = !opts.json && process.stdout.isTTY ? setInterval(render, 1000) : null;
  try {
    await client.stream(
      '/api/events/stream',
      (event, data) => {
        if (event !== 'state') return;
        last = data as StateView;
        render();
      },
      stop.signal,
    );
  } finally {
    if (ticker) clearInterval(ticker);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function limitsCommand(): Command {
  return addJsonOption(
    new Command('limits')
      .description('Codex usage limits per account: used % per window, resets, plan, credits, staleness')
      .argument('[account]', 'only this account (name or id)')
      .option('--refresh', 'read the limits through codex now instead of showing the last known numbers')
      .option('--watch', 'keep the view open and update it live (Ctrl-C ends)'),
  ).action(async (ref: string | undefined, _opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, LimitsOptionsSchema);
    await withDaemon(async (client) => {
      let state = await getState(client);
      const only = ref ? new Set([requireAccountView(state, ref).id]) : undefined;
      if (opts.refresh) {
        const named = ref ? requireAccountView(state, ref) : null;
        const problem = named && accountProblem(named, { quota: false });
        if (problem) throw problem;
        await withSpinner('reading the limits through codex', () => refresh(client, state, only));
        state = await getState(client);
        // Refreshed and still out of quota: the numbers are shown, and the exit status says it (4).
        const fresh = named && state.accounts.find((a) => a.id === named.id);
        if (fresh && fresh.health.state === 'exhausted') process.exitCode = EXIT_OUT_OF_QUOTA;
      }
      if (opts.watch) return watch(client, only, opts);
      emit(buildLimitsReport(state, only), opts, (report) => formatLimitsReport(report, Date.now(), width()));
    });
  });
}
