import { Command } from 'commander';
import { controlApi } from '../../client/controlApi.js';
import type { CodexModel } from '../../shared/schemas/codexModel.js';
import { supportsPriorityTier } from '../../translate/codexModels.js';
import { accountProblem, actingAccount } from '../accountReadiness.js';
import { emit, table } from '../output.js';
import { requireAccountView } from './requireAccountView.js';
import { addJsonOption, getState, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

export function formatModels(account: string, preferred: string | null, models: CodexModel[]): string {
  if (!models.length) return `${account}: codex lists no models`;
  const rows = [['', 'MODEL', 'NAME', 'EFFORTS', 'FAST']];
  for (const m of models) {
    const mark = m.id === preferred ? '*' : m.isDefault && !preferred ? 'd' : '';
    rows.push([
      mark,
      m.id,
      m.displayName ?? m.id,
      (m.supportedReasoningEfforts ?? []).map((e) => e.reasoningEffort).join(',') || '-',
      supportsPriorityTier(m) ? 'yes' : 'no',
    ]);
  }
  return `${account}\n${table(rows)}\n\n* preferred by the account  d codex default`;
}

export function modelsCommand(): Command {
  return addJsonOption(
    new Command('models')
      .description("models an account can use (from codex's model list); default: the account requests go to")
      .argument('[account]', 'account id or name'),
  ).action(async (ref: string | undefined, _opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, JsonOptionSchema);
    const data = await withDaemon(async (c) => {
      const state = await getState(c);
      // The model list costs no quota: an account out of quota can still be asked.
      const account = ref ? requireAccountView(state, ref) : actingAccount(state, 'to ask');
      const problem = accountProblem(account, { quota: false });
      if (problem) throw problem;
      const { models } = await c.call(controlApi.models(account.id));
      return { account: account.name, preferred: account.model, models };
    }, 'asking codex for the model list');
    emit(data, opts, (d) => formatModels(d.account, d.preferred, d.models));
  });
}
