import { chmodSync, mkdirSync, statSync, type Stats } from 'node:fs';
import { CcbridgeError } from '../shared/errors.js';

const STICKY = 0o1000;

/** The directory's stats, or null when it is missing (it was then created 0700: ours). */
function createOrStat(dir: string): Stats | null {
  try {
    return statSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return null;
  }
}

/** Refuses a directory that is not this user's to use privately: another user's, or a shared (sticky) one. */
function assertOwned(dir: string, st: Stats, purpose: string): void {
  const uid = process.getuid?.();
  if (!st.isDirectory()) throw new CcbridgeError('not_a_directory', `${dir} is not a directory; ${purpose}`);
  if (uid !== undefined && st.uid !== uid)
    throw new CcbridgeError('dir_not_owned', `${dir} belongs to another user (uid ${st.uid}); ${purpose}`);
}

/**
 * Creates `dir` (and parents) 0700, or makes sure an existing one is this user's and narrows it to 0700. Never
 * widens a mode, and never touches what is not ours: another user's directory or a shared sticky one (/tmp)
 * is refused, not chmod-ed.
 */
export function ensurePrivateDir(dir: string, purpose = 'set CCBRIDGE_HOME to a directory of your own'): void {
  const st = createOrStat(dir);
  if (!st) return;
  assertOwned(dir, st, purpose);
  const mode = st.mode & 0o7777;
  if (mode & STICKY)
    throw new CcbridgeError('dir_shared', `${dir} is a shared directory (mode ${mode.toString(8)}); ${purpose}`);
  if ((mode & 0o077) !== 0) chmodSync(dir, mode & 0o700);
}

/**
 * The directory for the control socket: created 0700 when missing (a private subdirectory we own). An existing
 * one is used as it is, never chmod-ed (it may be shared: a 1777 /tmp-like directory keeps its mode), but it must
 * be this user's, and nobody else may replace files in it (writable by others without the sticky bit).
 */
export function ensureSocketDir(dir: string): void {
  const purpose = 'set CCBRIDGE_SOCKET to a path in a directory you own';
  const st = createOrStat(dir);
  if (!st) return;
  assertOwned(dir, st, purpose);
  const mode = st.mode & 0o7777;
  if (mode & 0o022 && !(mode & STICKY))
    throw new CcbridgeError(
      'socket_dir_writable',
      `${dir} can be written by other users (mode ${mode.toString(8)}), who could replace the socket; ${purpose}`,
    );
}
