import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { controlApi } from '../../client/controlApi.js';
import { DaemonClient } from '../../client/daemonClient.js';
import { emit, keyValues, outputWidth } from '../output.js';
import { formatDuration } from '../../shared/format.js';
import { addJsonOption, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';
import type { StateView } from '../../shared/schemas/api.js';
import type { StateFile } from '../../shared/schemas/state.js';

interface StatusData {
  running: boolean;
  pid: number | null;
  uptimeMs: number | null;
  version: string | null;
  socket: string;
  bridge: string | null;
  activeAccount: string | null;
  defaultAccount: string | null;
  routeAccount: string | null;
  /** Why requests do not go to the active account (failover, all out of quota). */
  routeReason: string | null;
  routing: string | null;
  accounts: number;
  /** The daemon's whole state view (JSON only; null when it is not running). */
  state: StateView | null;
}

/** With the daemon down, the state file is read directly (read-only) so status still says something. */
function offlineStatus(client: DaemonClient): StatusData {
  let state: Partial<StateFile> = {};
  try {
    state = JSON.parse(readFileSync(client.paths.stateFile, 'utf8')) as Partial<StateFile>;
  } catch {
    // no or unreadable state: report nothing
  }
  const name = (id: string | null | undefined) => state.accounts?.find((a) => a.id === id)?.name ?? null;
  return {
    running: false,
    pid: null,
    uptimeMs: null,
    version: null,
    socket: client.paths.socketPath,
    bridge: null,
    activeAccount: name(state.activeAccountId),
    defaultAccount: name(state.defaultAccountId),
    routeAccount: null,
    routeReason: null,
    routing: state.settings?.routing ?? null,
    accounts: state.accounts?.length ?? 0,
    state: null,
  };
}

function onlineStatus(s: StateView): StatusData {
  const name = (id: string | null) => s.accounts.find((a) => a.id === id)?.name ?? null;
  return {
    running: true,
    pid: s.pid,
    uptimeMs: Date.now() - Date.parse(s.startedAt),
    version: s.version,
    socket: s.socketPath,
    bridge: s.bridge.baseUrl,
    activeAccount: name(s.activeAccountId),
    defaultAccount: name(s.defaultAccountId),
    routeAccount: name(s.routeAccountId),
    routeReason: s.routeReason ?? null,
    routing: s.settings.routing,
    accounts: s.accounts.length,
    state: s,
  };
}

export function statusCommand(): Command {
  return addJsonOption(
    new Command('status').description(
      'is the daemon running? pid, uptime, version, socket, bridge URL, accounts (exit 1 when not running)',
    ),
  ).action(async (_opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, JsonOptionSchema);
    const client = new DaemonClient();
    const running = await client.isRunning();
    const data = running ? onlineStatus(await client.call(controlApi.state())) : offlineStatus(client);
    emit(data, opts, (d) =>
      keyValues(
        [
          ['daemon', d.running ? `running (pid ${d.pid})` : 'not running'],
          ...(d.running
            ? ([
                ['uptime', formatDuration(d.uptimeMs ?? 0)],
                ['version', d.version],
                ['bridge', d.bridge],
              ] as Array<[string, string | null]>)
            : []),
          ['socket', d.socket],
          ['active', d.activeAccount ?? '(none)'],
          ['default', d.defaultAccount ?? '(none)'],
          ...(d.running && d.routeAccount !== d.activeAccount
            ? ([['routing to', `${d.routeAccount ?? '(none)'}${d.routeReason ? ` (${d.routeReason})` : ''}`]] as Array<
                [string, string]
              >)
            : []),
          ['routing', d.routing],
          ['accounts', d.accounts],
        ],
        outputWidth(),
      ),
    );
    if (!running) process.exitCode = 1;
  });
}
