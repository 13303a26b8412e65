import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { CcbridgeError } from '../shared/errors.js';

/** Thrown when another daemon already owns the data dir; the starter then just waits for it. */
export const ALREADY_RUNNING_EXIT = 5;

export interface DaemonLock {
  release(): void;
}

/**
 * One daemon per data dir. On Linux the lock is an abstract-namespace socket named after the
 * data dir: the kernel frees it when the process dies (even by kill -9), so there is never a
 * stale lock to clean up. Elsewhere an O_EXCL lock file holding the pid is used, and taken over
 * only when that pid is gone.
 */
export async function acquireDaemonLock(dataDir: string, lockFile: string): Promise<DaemonLock> {
  if (process.platform === 'linux') return abstractSocketLock(dataDir);
  return pidFileLock(lockFile);
}

function alreadyRunning(): CcbridgeError {
  return new CcbridgeError('already_running', 'a ccbridge daemon is already running for this data dir', {
    exitCode: ALREADY_RUNNING_EXIT,
  });
}

function abstractSocketLock(dataDir: string): Promise<DaemonLock> {
  const name = '\0ccbridge-' + createHash('sha256').update(dataDir).digest('hex').slice(0, 32);
  const server: Server = createServer(() => {});
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? alreadyRunning() : err));
    server.listen(name, () => {
      server.unref();
      resolve({ release: () => server.close() });
    });
  });
}

function pidFileLock(lockFile: string): DaemonLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => unlinkSync(lockFile) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(lockFile, 'utf8').trim());
      if (pid && isAlive(pid)) throw alreadyRunning();
      unlinkSync(lockFile);
    }
  }
  throw alreadyRunning();
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A detached daemon is reparented to init; until init reaps it, an exited daemon is a zombie
 * that still answers kill(0). Some inits reap slowly, so look at the process state on Linux.
 */
function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
