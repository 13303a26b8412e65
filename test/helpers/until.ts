import { vi } from 'vitest';

/**
 * Waits until `cond` holds, polling with vitest's `vi.waitFor` (bounded: it fails after `timeoutMs`).
 * The one wait the tests share, for state another process or socket changes on its own time.
 */
export async function until(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await cond())) throw new Error(`${what} not met in ${timeoutMs} ms`);
    },
    { timeout: timeoutMs, interval: 20 },
  );
}
