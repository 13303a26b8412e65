import { Command, Option } from 'commander';
import * as z from 'zod';
import { controlApi } from '../../client/controlApi.js';
import { SHELLS, formatExports, type Shell } from '../../claude/shellExports.js';
import type { IntegrationPreview } from '../../shared/schemas/integration.js';
import { emit } from '../output.js';
import { addJsonOption, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

const EnvOptionsSchema = JsonOptionSchema.extend({
  shell: z.custom<Shell>((v) => (SHELLS as readonly unknown[]).includes(v), `one of ${SHELLS.join(', ')}`),
  account: z.string().optional(),
});

/** `GET /api/integration`, pinned to an account when asked. */
export function fetchIntegration(query: {
  account?: string | undefined;
  settingsPath?: string | undefined;
}): Promise<IntegrationPreview> {
  return withDaemon((c) => c.call(controlApi.integration(query)));
}

export function envCommand(): Command {
  return addJsonOption(
    new Command('env')
      .description('print export lines that point Claude Code at the bridge: eval "$(ccbridge env)"')
      .addOption(new Option('--shell <shell>', 'syntax of the lines').choices(SHELLS).default('sh'))
      .option('--account <account>', "pin this shell's Claude Code requests to one account"),
  ).action(async (_opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, EnvOptionsSchema);
    const { env } = await fetchIntegration({ account: opts.account });
    emit(env, opts, (e) => formatExports(e, opts.shell));
  });
}
