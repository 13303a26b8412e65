import type { LimitBucket, LimitsSnapshot } from '../shared/schemas/limits.js';

/**
 * Folding new limit data into an account's last snapshot. Response headers only carry the families
 * that response touched, and `account/rateLimits/updated` only the fields that changed, so both merge
 * bucket by bucket; a full `account/rateLimits/read` replaces the buckets outright.
 */

function byId(buckets: readonly LimitBucket[]): Map<string, LimitBucket> {
  return new Map(buckets.map((b) => [b.limitId, b]));
}

/** `codex` first, the rest in the order they were first seen. */
function ordered(buckets: LimitBucket[]): LimitBucket[] {
  return [...buckets].sort((a, b) => Number(b.limitId === 'codex') - Number(a.limitId === 'codex'));
}

/**
 * `partial` (headers): the families in `next` replace theirs, the others stay. `complete` (a full
 * read): `next`'s buckets are the whole truth. Either way plan and active limit survive when the
 * new data does not name them (headers carry no plan; reads carry no active limit).
 */
export function mergeLimits(
  prev: LimitsSnapshot | null,
  next: LimitsSnapshot,
  mode: 'partial' | 'complete',
): LimitsSnapshot {
  let buckets = next.buckets;
  if (mode === 'partial' && prev) {
    const fresh = byId(next.buckets);
    const known = byId(prev.buckets);
    buckets = [
      ...prev.buckets.map((b) => fresh.get(b.limitId) ?? b),
      ...next.buckets.filter((b) => !known.has(b.limitId)),
    ];
  }
  return {
    ...next,
    planType: next.planType ?? prev?.planType ?? null,
    activeLimit: next.activeLimit ?? prev?.activeLimit ?? null,
    // Only reads carry the count: headers and updates keep the last one.
    resetCredits: next.resetCredits ?? prev?.resetCredits,
    buckets: ordered(buckets),
    error: null,
  };
}

/** A failed read keeps the last data beside the error (the staleness rules then flag it). */
export function withReadError(prev: LimitsSnapshot | null, message: string, now: Date): LimitsSnapshot {
  return prev
    ? { ...prev, error: message }
    : {
        source: 'app-server',
        fetchedAt: now.toISOString(),
        planType: null,
        activeLimit: null,
        buckets: [],
        error: message,
      };
}
