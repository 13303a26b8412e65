import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Unix socket paths longer than this do not fit sockaddr_un on every OS (macOS: 104 incl. NUL). */
export const MAX_SOCKET_PATH = 95;

export interface Paths {
  dataDir: string;
  stateFile: string;
  eventsFile: string;
  accountsDir: string;
  runDir: string;
  socketPath: string;
  pidFile: string;
  lockFile: string;
  logFile: string;
}

/** `daemon.log` is rotated to `daemon.log.1` past this size (at start by the starter, while running by the daemon). */
export const DAEMON_LOG_MAX_BYTES = 5 * 1024 * 1024;

type Env = Record<string, string | undefined>;

export function dataDir(env: Env = process.env): string {
  if (env.CCBRIDGE_HOME) return resolve(env.CCBRIDGE_HOME);
  const xdg = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(xdg, 'ccbridge');
}

export function resolvePaths(env: Env = process.env): Paths {
  const data = dataDir(env);
  const runDir = join(data, 'run');
  // An explicit CCBRIDGE_HOME isolates everything (tests, several installs); XDG_RUNTIME_DIR applies otherwise.
  const socketPath = env.CCBRIDGE_SOCKET
    ? resolve(env.CCBRIDGE_SOCKET)
    : env.XDG_RUNTIME_DIR && !env.CCBRIDGE_HOME
      ? join(env.XDG_RUNTIME_DIR, 'ccbridge', 'ccbridge.sock')
      : join(runDir, 'ccbridge.sock');
  return {
    dataDir: data,
    stateFile: join(data, 'state.json'),
    eventsFile: join(data, 'events.jsonl'),
    accountsDir: join(data, 'accounts'),
    runDir,
    socketPath,
    pidFile: join(runDir, 'daemon.pid'),
    lockFile: join(runDir, 'daemon.lock'),
    logFile: join(runDir, 'daemon.log'),
  };
}

export function accountHome(paths: Paths, accountId: string): string {
  return join(paths.accountsDir, accountId, 'codex-home');
}
