import { Command } from 'commander';
import { controlApi } from '../../client/controlApi.js';
import { emit } from '../output.js';
import { addJsonOption, withDaemon, type JsonOption } from './shared.js';

export function tokenCommand(): Command {
  return addJsonOption(
    new Command('token')
      .description('print the bridge token (what Claude Code sends as ANTHROPIC_AUTH_TOKEN)')
      .option('--rotate', 'generate a new token; clients using the old one get 401'),
  ).action(async (opts: JsonOption & { rotate?: boolean }) => {
    const { token } = await withDaemon((c) => c.call(opts.rotate ? controlApi.rotateToken() : controlApi.token()));
    emit({ token, rotated: Boolean(opts.rotate) }, opts, (d) => d.token);
  });
}
