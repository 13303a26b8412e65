import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { LimitsFileSchema, type LimitsSnapshot } from '../shared/schemas/limits.js';

/**
 * The last limits snapshot per account on disk (0600: plan and usage are nobody else's business).
 * Written whole to a temp file and renamed, so a crash never leaves half a file.
 */

export function loadLimitsFile(file: string): Map<string, LimitsSnapshot> {
  if (!existsSync(file)) return new Map();
  try {
    const parsed = LimitsFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? new Map(Object.entries(parsed.data.accounts)) : new Map();
  } catch {
    // A corrupt cache is worth nothing; the next reads rebuild it.
    return new Map();
  }
}

export function saveLimitsFile(file: string, snapshots: ReadonlyMap<string, LimitsSnapshot>): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: 1, accounts: Object.fromEntries(snapshots) })}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
