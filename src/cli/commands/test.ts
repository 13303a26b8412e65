import { Command } from 'commander';
import * as z from 'zod';
import { controlApi } from '../../client/controlApi.js';
import { EXIT_NEEDS_LOGIN, EXIT_OUT_OF_QUOTA } from '../../shared/errors.js';
import { actingAccount } from '../accountReadiness.js';
import type { AccountTestResult } from '../../shared/schemas/api.js';
import { emit } from '../output.js';
import { formatSteps, throwIfFailed } from '../stepReport.js';
import { runClaudeTest } from './runClaudeTest.js';
import { addJsonOption, getState, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

const PROBLEM_EXIT = { needs_login: EXIT_NEEDS_LOGIN, out_of_quota: EXIT_OUT_OF_QUOTA } as const;

const describe = (r: AccountTestResult) => formatSteps(`account ${r.account.name} (${r.account.id})`, r.steps);

const TestOptionsSchema = JsonOptionSchema.extend({ claude: z.boolean().optional(), account: z.string().optional() });

/**
 * `ccbridge test [account]`: codex binary, auth, token freshness and one tiny upstream request for the account
 * (default: the one requests go to now), step by step; exit 1 naming the step that failed.
 * `--claude` runs the Claude Code round trip through the bridge instead.
 */
export function testCommand(): Command {
  return addJsonOption(
    new Command('test')
      .description(
        'check an account end to end: codex binary, login, token freshness, one upstream request (--claude: a Claude Code round trip)',
      )
      .argument('[account]', 'account id or name (default: the account requests go to now)')
      .option('--claude', 'test the Claude Code integration through the bridge instead')
      .option('--account <account>', 'same as the [account] argument'),
  ).action(async (ref: string | undefined, _opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, TestOptionsSchema);
    const account = ref ?? opts.account;
    if (opts.claude) {
      await runClaudeTest({ account, json: opts.json });
      return;
    }
    const result = await withDaemon(async (client) => {
      const target = account ?? actingAccount(await getState(client), 'to test').id;
      return client.call(controlApi.testAccount(target));
    }, 'testing the account: codex, login, token, one request upstream');
    emit(result, opts, describe);
    throwIfFailed(result.steps, 'account_test_failed', `test of ${result.account.name}`, {
      exitCode: result.problem ? PROBLEM_EXIT[result.problem] : 1,
    });
  });
}
