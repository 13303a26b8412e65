import { Command } from 'commander';
import * as z from 'zod';
import { controlApi } from '../../client/controlApi.js';
import { emit } from '../output.js';
import { addJsonOption, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

const TokenOptionsSchema = JsonOptionSchema.extend({ rotate: z.boolean().optional() });

export function tokenCommand(): Command {
  return addJsonOption(
    new Command('token')
      .description('print the bridge token (what Claude Code sends as ANTHROPIC_AUTH_TOKEN)')
      .option('--rotate', 'generate a new token; clients using the old one get 401'),
  ).action(async (_opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, TokenOptionsSchema);
    const { token } = await withDaemon((c) => c.call(opts.rotate ? controlApi.rotateToken() : controlApi.token()));
    emit({ token, rotated: Boolean(opts.rotate) }, opts, (d) => d.token);
  });
}
