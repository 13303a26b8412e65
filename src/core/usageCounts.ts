import type { UsageCounts } from '../shared/schemas/usage.js';

/** Nothing used yet: the start of every day's and every total's counts. */
export const EMPTY_COUNTS: Readonly<UsageCounts> = {
  requests: 0,
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  errors: 0,
  failovers: 0,
};

/** Adds `delta`'s counts into `into` (in place) and returns it. */
export function addCounts<T extends UsageCounts>(into: T, delta: Partial<UsageCounts>): T {
  for (const key of Object.keys(EMPTY_COUNTS) as Array<keyof UsageCounts>) into[key] += delta[key] ?? 0;
  return into;
}
