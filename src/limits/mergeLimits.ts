import type { LimitBucket, LimitsSnapshot, LimitWindow } from '../shared/schemas/limits.js';
import type { RateLimitSnapshot } from '../codex/appServerProtocol.js';

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
    buckets: ordered(buckets),
    error: null,
  };
}

type SparseWindow = RateLimitSnapshot['primary'];

function mergeWindow(prev: LimitWindow | null, update: SparseWindow): LimitWindow | null {
  if (!update) return prev;
  return {
    usedPercent: update.usedPercent,
    windowMinutes: update.windowDurationMins ?? prev?.windowMinutes ?? null,
    resetsAt: update.resetsAt ?? prev?.resetsAt ?? null,
  };
}

/**
 * `account/rateLimits/updated` carries one bucket where a null or missing field means "unchanged"
 * (codex serializes what it did not learn as null), so only the fields it has overwrite.
 */
export function mergeRateLimitsUpdate(
  prev: LimitsSnapshot | null,
  update: RateLimitSnapshot,
  now: Date,
): LimitsSnapshot {
  const limitId = update.limitId ?? 'codex';
  const old = prev?.buckets.find((b) => b.limitId === limitId) ?? null;
  const bucket: LimitBucket = {
    limitId,
    limitName: update.limitName ?? old?.limitName ?? null,
    primary: mergeWindow(old?.primary ?? null, update.primary),
    secondary: mergeWindow(old?.secondary ?? null, update.secondary),
    credits: update.credits
      ? {
          hasCredits: update.credits.hasCredits,
          unlimited: update.credits.unlimited,
          balance: update.credits.balance ?? null,
        }
      : (old?.credits ?? null),
    reachedType: update.rateLimitReachedType ?? old?.reachedType ?? null,
  };
  const next: LimitsSnapshot = {
    source: 'app-server',
    fetchedAt: now.toISOString(),
    planType: update.planType ?? null,
    activeLimit: null,
    buckets: [bucket],
    error: null,
  };
  return mergeLimits(prev, next, 'partial');
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
