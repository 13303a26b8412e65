import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import * as z from 'zod';
import { launchClaude } from '../../claude/launchClaude.js';
import { overriddenKeys } from '../../claude/settingsMerge.js';
import { requestedSettingsPath } from '../../claude/settingsPath.js';
import { accountProblem, noRouteError } from '../accountReadiness.js';
import { requireAccountView } from './requireAccountView.js';
import { fetchIntegration } from './env.js';
import { getState, withDaemon } from './shared.js';
import { parseOptions } from '../parseOptions.js';

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

const ClaudeOptionsSchema = z.object({ account: z.string().optional() });

export function claudeCommand(): Command {
  return (
    new Command('claude')
      .description(
        'run Claude Code through the bridge with the env injected (no settings file touched); args go to claude',
      )
      .usage('[--account A] [claude args...]')
      .option('--account <account>', "pin this session's requests to one account")
      .argument('[args...]', 'arguments for claude')
      // Everything from the first argument ccbridge does not know on (claude's -p, --help, --resume …) goes to claude.
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .passThroughOptions()
      .action(async (args: string[], _opts: unknown, cmd: Command) => {
        const opts = parseOptions(cmd, ClaudeOptionsSchema);
        // Refuse before Claude Code starts when no request could go anywhere (exit 3: sign in, 4: out of quota).
        const state = await withDaemon(getState);
        if (opts.account) {
          const problem = accountProblem(requireAccountView(state, opts.account), { quota: true });
          if (problem) throw problem;
        } else if (!state.routeAccountId) throw noRouteError(state, 'for Claude Code');
        const preview = await fetchIntegration({
          account: opts.account,
          settingsPath: requestedSettingsPath(undefined),
        });
        // A settings.json env block beats the process env in Claude Code, so say when it would win.
        const clash = overriddenKeys(readIfExists(preview.path), preview.env);
        if (clash.length) {
          process.stderr.write(
            `ccbridge: ${preview.path} sets ${clash.join(', ')}, which overrides this session's env; run \`ccbridge apply-claude\` or remove them\n`,
          );
        }
        process.exitCode = await launchClaude(args, preview.env);
      })
  );
}
