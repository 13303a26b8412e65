import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { controlApi } from '../../client/controlApi.js';
import { DaemonClient, DaemonDownError } from '../../client/daemonClient.js';
import { isAlive } from '../../daemon/daemonLock.js';
import { CcbridgeError } from '../../shared/errors.js';
import { emit } from '../output.js';
import { addJsonOption, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';
import { ccbridgeEnv } from '../../shared/schemas/ccbridgeEnv.js';

/** Asks the daemon to stop gracefully and waits for its process to exit. Returns its pid, or null if none ran. */
export async function stopDaemon(client: DaemonClient): Promise<number | null> {
  let pid: number;
  try {
    ({ pid } = await client.call(controlApi.shutdown()));
  } catch (err) {
    if (err instanceof DaemonDownError) return null;
    throw err;
  }
  // The daemon's own drain deadline, plus time to close everything after it.
  if (await exited(pid, ccbridgeEnv().CCBRIDGE_STOP_TIMEOUT_MS + 5_000)) return pid;
  // Past its own stop deadline the daemon is stuck: kill it with the codex processes it started, so
  // nothing is left serving (or holding the port) behind a "not running" status.
  killTree(pid);
  if (await exited(pid, 2_000))
    throw new CcbridgeError('stop_timeout', `daemon (pid ${pid}) did not stop in time and was killed`);
  throw new CcbridgeError('stop_timeout', `daemon (pid ${pid}) did not stop; kill it with \`kill -9 ${pid}\``);
}

async function exited(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** SIGKILL for the daemon's process group when it leads one (a detached start), else for the daemon alone. */
function killTree(pid: number): void {
  try {
    process.kill(leadsGroup(pid) ? -pid : pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}

function leadsGroup(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pid;
  } catch {
    return false;
  }
}

export function stopCommand(): Command {
  return addJsonOption(
    new Command('stop').description('stop the daemon gracefully (in-flight requests finish first)'),
  ).action(async (_opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, JsonOptionSchema);
    const pid = await stopDaemon(new DaemonClient());
    emit({ stopped: pid !== null, pid }, opts, (d) =>
      d.stopped ? `ccbridge daemon stopped (pid ${d.pid})` : 'ccbridge daemon was not running',
    );
  });
}
