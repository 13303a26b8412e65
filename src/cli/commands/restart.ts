import { Command } from 'commander';
import { DaemonClient, startDaemon } from '../../client/daemonClient.js';
import { emit } from '../output.js';
import { addJsonOption, getState, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';
import { stopDaemon } from './stop.js';

export function restartCommand(): Command {
  return addJsonOption(new Command('restart').description('stop the daemon if it runs, then start it')).action(
    async (_opts: unknown, cmd: Command) => {
      const opts = parseOptions(cmd, JsonOptionSchema);
      const client = new DaemonClient();
      const oldPid = await stopDaemon(client);
      await startDaemon(client);
      const state = await getState(client);
      emit(
        { oldPid, pid: state.pid, bridge: state.bridge.baseUrl },
        opts,
        (d) => `ccbridge daemon restarted (pid ${d.pid}); bridge ${d.bridge}`,
      );
    },
  );
}
