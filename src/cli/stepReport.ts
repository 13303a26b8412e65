import { CcbridgeError } from '../shared/errors.js';
import type { TestStep } from '../shared/schemas/testStep.js';
import { table } from './output.js';

const MARK = { ok: 'ok', warn: 'warn', failed: 'FAIL', skipped: 'skip' } as const;

/** A test's steps under a title line, one row per step. */
export function formatSteps(title: string, steps: readonly TestStep[]): string {
  return [title, table(steps.map((s) => [MARK[s.status], s.name, `${s.ms} ms`, s.detail]))].join('\n');
}

/** Fails the command (exit 1 unless told) naming the step that failed, after the steps were printed. */
export function throwIfFailed(
  steps: readonly TestStep[],
  code: string,
  what: string,
  opts: { exitCode?: number } = {},
): void {
  const failed = steps.find((s) => s.status === 'failed');
  if (failed) throw new CcbridgeError(code, `${what} failed at "${failed.name}": ${failed.detail}`, opts);
}
