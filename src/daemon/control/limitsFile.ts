import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  LimitsFileSchema,
  type ExhaustionMark,
  type LimitsFile,
  type LimitsSnapshot,
} from '../../shared/schemas/limits.js';
import { errorMessage } from '../../shared/errors.js';
import { describeZodError } from '../../shared/describeZodError.js';

/**
 * The last limits snapshot and usage-limit mark per account on disk (0600: plan and usage are nobody else's
 * business). Written whole to a temp file and renamed, so a crash never leaves half a file.
 */

export interface LimitsFileData {
  snapshots: Map<string, LimitsSnapshot>;
  exhausted: Map<string, ExhaustionMark>;
}

/** What was wrong with a limits.json that could not be used, and where it was kept. */
export interface SetAsideFile {
  reason: string;
  movedTo: string;
}

/**
 * The saved limits, or empty ones. A corrupt file is not dropped silently: it is renamed aside (its reset
 * marks may be worth a look) and `setAside` says so, for the caller to log.
 */
export function loadLimitsFile(file: string, now = new Date()): LimitsFileData & { setAside: SetAsideFile | null } {
  const empty = { snapshots: new Map(), exhausted: new Map(), setAside: null };
  if (!existsSync(file)) return empty;
  let reason: string;
  try {
    const parsed = LimitsFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success)
      return {
        snapshots: new Map(Object.entries(parsed.data.accounts)),
        exhausted: new Map(Object.entries(parsed.data.exhausted)),
        setAside: null,
      };
    reason = describeZodError(parsed.error);
  } catch (err) {
    reason = errorMessage(err);
  }
  const movedTo = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, movedTo);
  return { ...empty, setAside: { reason, movedTo } };
}

export function saveLimitsFile(file: string, data: LimitsFileData): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const content: LimitsFile = {
    version: 1,
    accounts: Object.fromEntries(data.snapshots),
    exhausted: Object.fromEntries(data.exhausted),
  };
  writeFileSync(tmp, `${JSON.stringify(content)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
