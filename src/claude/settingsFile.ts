import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CcbridgeError, errorMessage } from '../shared/errors.js';

/** What a settings file held when it was read; the write checks nothing changed since. */
export interface SettingsFileSnapshot {
  /** Where the bytes live: a symlinked settings.json (dotfile managers) is written through its target. */
  realPath: string;
  text: string | null;
  mode: number | null;
}

export const BACKUP_SUFFIX = '.ccbridge.bak';
const NEW_FILE_MODE = 0o600;

export function backupPathFor(realPath: string): string {
  return `${realPath}${BACKUP_SUFFIX}`;
}

function resolveRealPath(path: string): string {
  try {
    return lstatSync(path).isSymbolicLink() ? realpathSync(path) : path;
  } catch {
    return path;
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CcbridgeError('settings_unreadable', `cannot read ${path} (${errorMessage(err)})`);
  }
}

export function readSettingsFile(path: string): SettingsFileSnapshot {
  const realPath = resolveRealPath(path);
  const text = readText(realPath);
  return { realPath, text, mode: text === null ? null : statSync(realPath).mode & 0o777 };
}

/**
 * Replaces the file atomically (temp file in the same dir, fsync, rename) with its old mode (0600
 * when new), after saving the previous content as the one backup unless a backup exists already. Refuses when the file changed
 * since `before` was read, so a concurrent edit (e.g. by Claude Code) is never lost.
 * Returns the backup path, or null when there was no previous file.
 */
export function writeSettingsFile(before: SettingsFileSnapshot, text: string): string | null {
  const { realPath } = before;
  const dir = dirname(realPath);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new CcbridgeError('settings_unwritable', `cannot create ${dir} (${errorMessage(err)})`);
  }
  if (readText(realPath) !== before.text) {
    throw new CcbridgeError(
      'settings_changed',
      `${realPath} changed while ccbridge was updating it; run the command again`,
    );
  }
  // The first backup is the file as the user had it before ccbridge: later writes (auto-apply) keep it.
  let backupPath: string | null = null;
  if (before.text !== null) {
    backupPath = backupPathFor(realPath);
    if (!existsSync(backupPath)) {
      writeFileSync(backupPath, before.text, { mode: NEW_FILE_MODE });
      chmodSync(backupPath, NEW_FILE_MODE);
    }
  }
  const mode = before.mode ?? NEW_FILE_MODE;
  const tmp = join(dir, `.${basename(realPath)}.ccbridge-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // The umask may have narrowed the mode given to open().
    chmodSync(tmp, mode);
    renameSync(tmp, realPath);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    throw new CcbridgeError('settings_unwritable', `cannot write ${realPath} (${errorMessage(err)})`);
  }
  return backupPath;
}
