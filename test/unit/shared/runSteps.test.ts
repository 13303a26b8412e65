import { describe, expect, it } from 'vitest';
import { runSteps } from '../../../src/shared/runSteps.js';

describe('runSteps', () => {
  it('runs every check in order when none fails, a warning included', async () => {
    const { ok, steps } = await runSteps([
      ['one', async () => ({ detail: 'fine' })],
      ['two', async () => ({ status: 'warn', detail: 'look at this' })],
    ]);
    expect(ok).toBe(true);
    expect(steps.map((s) => [s.name, s.status, s.detail])).toEqual([
      ['one', 'ok', 'fine'],
      ['two', 'warn', 'look at this'],
    ]);
  });

  it('lists the checks after a failure as skipped without running them', async () => {
    let ran = false;
    const { ok, steps } = await runSteps([
      [
        'throws',
        async () => {
          throw new Error('no codex on PATH');
        },
      ],
      ['says failed', async () => ({ status: 'failed', detail: 'unused' })],
      [
        'never',
        async () => {
          ran = true;
          return { detail: 'ran' };
        },
      ],
    ]);
    expect(ok).toBe(false);
    expect(ran).toBe(false);
    expect(steps).toEqual([
      { name: 'throws', status: 'failed', detail: 'no codex on PATH', ms: expect.any(Number) },
      { name: 'says failed', status: 'skipped', detail: 'skipped after the failure above', ms: 0 },
      { name: 'never', status: 'skipped', detail: 'skipped after the failure above', ms: 0 },
    ]);
  });

  it('a check that reports failed without throwing stops the run too', async () => {
    const { ok, steps } = await runSteps([
      ['health', async () => ({ status: 'failed', detail: 'HTTP 502' })],
      ['messages', async () => ({ detail: 'unused' })],
    ]);
    expect(ok).toBe(false);
    expect(steps.map((s) => s.status)).toEqual(['failed', 'skipped']);
  });
});
