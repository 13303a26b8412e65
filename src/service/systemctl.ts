import { spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { CcbridgeError } from '../shared/errors.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runTool(bin: string, args: string[]): CommandResult {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    return { code: missing ? 127 : 1, stdout: '', stderr: missing ? `${bin}: command not found` : r.error.message };
  }
  return { code: r.status ?? 1, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

/** `systemctl --user <args>`. */
export function systemctl(args: string[]): CommandResult {
  return runTool('systemctl', ['--user', ...args]);
}

/** Runs `systemctl --user <args>` and throws with systemd's own words when it fails. */
export function systemctlOrThrow(args: string[]): CommandResult {
  const r = systemctl(args);
  if (r.code !== 0) {
    throw new CcbridgeError(
      'systemctl_failed',
      `\`systemctl --user ${args.join(' ')}\` failed: ${r.stderr || r.stdout || `exit ${r.code}`}`,
    );
  }
  return r;
}

/**
 * Null when a systemd user manager answers; else why not (no systemctl, no user bus as in
 * containers and `su` shells, not booted with systemd).
 */
export function userSystemdProblem(): string | null {
  const r = systemctl(['show-environment']);
  if (r.code === 0) return null;
  return r.stderr.split('\n')[0] || `systemctl --user exited ${r.code}`;
}

export function systemdUnavailable(problem: string): CcbridgeError {
  return new CcbridgeError(
    'systemd_unavailable',
    `systemd user services are not available here (${problem}); run \`ccbridge start\` instead, or use \`ccbridge service install --print\` to get the unit for another supervisor`,
  );
}

/** The login name for loginctl; userInfo() throws for a uid without a passwd entry (containers). */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER || process.env.LOGNAME || String(process.getuid?.() ?? '');
  }
}

/** Whether the user's services keep running without a login session; null when loginctl cannot say. */
export function lingerEnabled(user: string = currentUser()): boolean | null {
  const r = runTool('loginctl', ['show-user', user, '--property=Linger', '--value']);
  if (r.code !== 0) return null;
  return r.stdout === 'yes';
}
