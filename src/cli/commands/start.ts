import { Command } from 'commander';
import * as z from 'zod';
import { DaemonClient, startDaemon } from '../../client/daemonClient.js';
import { emit, keyValues } from '../output.js';
import { addJsonOption, getState, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

const StartOptionsSchema = JsonOptionSchema.extend({
  foreground: z.boolean().optional(),
  resetState: z.boolean().optional(),
});

export function startCommand(): Command {
  return addJsonOption(
    new Command('start')
      .description('start the daemon (detached; --foreground keeps it in this terminal)')
      .option('-f, --foreground', 'run in this terminal (what `npm start` and the systemd unit use)')
      .option('--reset-state', 'move an unreadable state.json aside and start with a fresh one'),
  ).action(async (_opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, StartOptionsSchema);
    if (opts.foreground) {
      const { runDaemon } = await import('../../daemon/runDaemon.js');
      await runDaemon({ resetState: opts.resetState ?? false, banner: !opts.json });
      return;
    }
    const client = new DaemonClient();
    const started = await startDaemon(client, opts.resetState ? ['--reset-state'] : []);
    const state = await getState(client);
    const data = {
      started,
      pid: state.pid,
      socket: state.socketPath,
      bridge: state.bridge.baseUrl,
      version: state.version,
    };
    emit(data, opts, (d) =>
      [
        d.started ? `ccbridge daemon started (pid ${d.pid})` : `ccbridge daemon already running (pid ${d.pid})`,
        keyValues([
          ['bridge', d.bridge],
          ['socket', d.socket],
        ]),
      ].join('\n'),
    );
  });
}
