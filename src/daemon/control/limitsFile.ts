import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  LimitsFileSchema,
  type ExhaustionMark,
  type LimitsFile,
  type LimitsSnapshot,
} from '../../shared/schemas/limits.js';

/**
 * The last limits snapshot and usage-limit mark per account on disk (0600: plan and usage are nobody else's
 * business). Written whole to a temp file and renamed, so a crash never leaves half a file.
 */

export interface LimitsFileData {
  snapshots: Map<string, LimitsSnapshot>;
  exhausted: Map<string, ExhaustionMark>;
}

export function loadLimitsFile(file: string): LimitsFileData {
  const empty = (): LimitsFileData => ({ snapshots: new Map(), exhausted: new Map() });
  if (!existsSync(file)) return empty();
  try {
    const parsed = LimitsFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) return empty();
    return {
      snapshots: new Map(Object.entries(parsed.data.accounts)),
      exhausted: new Map(Object.entries(parsed.data.exhausted)),
    };
  } catch {
    // A corrupt cache is worth nothing; the next reads rebuild it.
    return empty();
  }
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
