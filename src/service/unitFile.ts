import { daemonProcessEnv } from '../shared/daemonProcessEnv.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ALREADY_RUNNING_EXIT } from '../daemon/daemonLock.js';

type Env = Record<string, string | undefined>;

export const UNIT_NAME = 'ccbridge.service';

export interface UnitFileInput {
  /** Absolute path of the node binary running ccbridge now. */
  nodePath: string;
  /** Absolute path of the ccbridge bundle (dist/ccbridge.mjs). */
  scriptPath: string;
  /** Environment pinned into the unit (see `serviceEnvironment`). */
  environment: Record<string, string>;
}

/** `$XDG_CONFIG_HOME/systemd/user`, where `systemctl --user` looks for units. */
export function userUnitDir(env: Env = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'systemd', 'user');
}

/**
 * The environment the service needs so it finds the same data dir, socket and `codex` as the CLI
 * that installed it (systemd's user manager has a minimal environment of its own). The bridge
 * always binds the loopback address.
 */
export function serviceEnvironment(env: Env): Record<string, string> {
  const pinned: Record<string, string> = {};
  for (const [key, value] of Object.entries(daemonProcessEnv(env))) {
    if (value === undefined || value === '') continue;
    if (
      key.startsWith('CCBRIDGE_') ||
      key === 'XDG_DATA_HOME' ||
      key === 'CLAUDE_SETTINGS_PATH' ||
      key === 'PATH' ||
      key === 'MALLOC_ARENA_MAX'
    )
      pinned[key] = value;
  }
  pinned.CCBRIDGE_HOST = '127.0.0.1';
  return Object.fromEntries(Object.entries(pinned).sort(([a], [b]) => a.localeCompare(b)));
}

/** systemd expands `%` specifiers everywhere and `$VAR` in ExecStart; both are escaped. */
function escapeSpecifiers(value: string): string {
  return value.replace(/%/g, '%%');
}

function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function execArg(arg: string): string {
  const escaped = escapeSpecifiers(arg).replace(/\$/g, '$$$$');
  return /^[A-Za-z0-9_@%+=:,./$-]+$/.test(escaped) ? escaped : quoted(escaped);
}

/** The `systemd --user` unit: the daemon in the foreground, restarted only when it fails. */
export function buildUnitFile(input: UnitFileInput): string {
  const exec = [input.nodePath, input.scriptPath, 'start', '--foreground'].map(execArg).join(' ');
  const environment = Object.entries(input.environment).map(
    ([k, v]) => `Environment=${quoted(escapeSpecifiers(`${k}=${v}`))}`,
  );
  return [
    '# Written by `ccbridge service install`; remove it with `ccbridge service uninstall`.',
    '[Unit]',
    'Description=ccbridge: Claude Code on OpenAI Codex quota (bridge on 127.0.0.1)',
    'Documentation=man:ccbridge(1)',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${exec}`,
    '# `ccbridge stop` ends the daemon with exit 0, which stays stopped; crashes are restarted.',
    'Restart=on-failure',
    'RestartSec=2',
    `# Exit ${ALREADY_RUNNING_EXIT}: another daemon already serves this data dir; restarting would only loop.`,
    `RestartPreventExitStatus=${ALREADY_RUNNING_EXIT}`,
    '# On SIGTERM the daemon lets in-flight requests finish (up to 20 s).',
    'TimeoutStopSec=30',
    'UMask=0077',
    ...environment,
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}
