import { errorMessage } from './errors.js';
import type { TestStep } from './schemas/testStep.js';

/** A check says how it went; throwing is a failure with the error's message. */
export type StepCheck = () => Promise<{ status?: 'ok' | 'warn' | 'failed'; detail: string }>;

/**
 * Runs the checks of a test in order, timing each. After a failure the remaining checks are not
 * run but listed as skipped, so the report always names every step.
 */
export async function runSteps(
  checks: ReadonlyArray<[string, StepCheck]>,
): Promise<{ ok: boolean; steps: TestStep[] }> {
  const steps: TestStep[] = [];
  let failed = false;
  for (const [name, check] of checks) {
    if (failed) {
      steps.push({ name, status: 'skipped', detail: 'skipped after the failure above', ms: 0 });
      continue;
    }
    const started = performance.now();
    let outcome: Awaited<ReturnType<StepCheck>>;
    try {
      outcome = await check();
    } catch (err) {
      outcome = { status: 'failed', detail: errorMessage(err) };
    }
    const status = outcome.status ?? 'ok';
    failed = status === 'failed';
    steps.push({ name, status, detail: outcome.detail, ms: Math.round(performance.now() - started) });
  }
  return { ok: !failed, steps };
}
