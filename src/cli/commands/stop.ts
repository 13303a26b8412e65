import { Command } from 'commander';
import { DaemonClient, DaemonDownError } from '../../client/daemonClient.js';
import { isAlive } from '../../daemon/daemonLock.js';
import { CcbridgeError } from '../../shared/errors.js';
import { emit } from '../output.js';
import { addJsonOption, type JsonOption } from './shared.js';

const STOP_WAIT_MS = Number(process.env.CCBRIDGE_STOP_TIMEOUT_MS ?? 20_000) + 5_000;

/** Asks the daemon to stop gracefully and waits for its process to exit. Returns its pid, or null if none ran. */
export async function stopDaemon(client: DaemonClient): Promise<number | null> {
  let pid: number;
  try {
    ({ pid } = await client.request<{ pid: number }>('POST', '/api/shutdown'));
  } catch (err) {
    if (err instanceof DaemonDownError) return null;
    throw err;
  }
  const deadline = Date.now() + STOP_WAIT_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline)
      throw new CcbridgeError('stop_timeout', `daemon (pid ${pid}) did not stop in time; kill it with \`kill ${pid}\``);
    await new Promise((r) => setTimeout(r, 50));
  }
  return pid;
}

export function stopCommand(): Command {
  return addJsonOption(
    new Command('stop').description('stop the daemon gracefully (in-flight requests finish first)'),
  ).action(async (opts: JsonOption) => {
    const pid = await stopDaemon(new DaemonClient());
    emit({ stopped: pid !== null, pid }, opts, (d) =>
      d.stopped ? `ccbridge daemon stopped (pid ${d.pid})` : 'ccbridge daemon was not running',
    );
  });
}
