import { mergeLimits } from '../limits/mergeLimits.js';
import type { LimitBucket, LimitsSnapshot, LimitWindow } from '../shared/schemas/limits.js';
import type { RateLimitSnapshot, RateLimitsReadResult } from './appServerProtocol.js';

/**
 * codex's rate-limit wire shape (`account/rateLimits/read` and `/updated`) → ccbridge's limits
 * snapshot, written once: a full read maps onto nothing, a sparse update onto the bucket it updates.
 */

function toWindow(prev: LimitWindow | null, w: RateLimitSnapshot['primary']): LimitWindow | null {
  if (!w) return prev;
  return {
    usedPercent: w.usedPercent,
    windowMinutes: w.windowDurationMins ?? prev?.windowMinutes ?? null,
    resetsAt: w.resetsAt ?? prev?.resetsAt ?? null,
  };
}

/**
 * One limit family. Over `old` (the bucket an update changes), a null or missing field means
 * "unchanged": codex serializes what it did not learn as null.
 */
export function bucketFromSnapshot(s: RateLimitSnapshot, old: LimitBucket | null = null): LimitBucket {
  return {
    limitId: s.limitId ?? 'codex',
    limitName: s.limitName ?? old?.limitName ?? null,
    primary: toWindow(old?.primary ?? null, s.primary),
    secondary: toWindow(old?.secondary ?? null, s.secondary),
    credits: s.credits
      ? { hasCredits: s.credits.hasCredits, unlimited: s.credits.unlimited, balance: s.credits.balance ?? null }
      : (old?.credits ?? null),
    reachedType: s.rateLimitReachedType ?? old?.reachedType ?? null,
  };
}

function appServerSnapshot(planType: string | null, buckets: LimitBucket[], fetchedAt: string): LimitsSnapshot {
  return { source: 'app-server', fetchedAt, planType, activeLimit: null, buckets, error: null };
}

/** `account/rateLimits/read` → ccbridge's limits snapshot: one bucket per limit id, `codex` first. */
export function limitsFromAppServer(result: RateLimitsReadResult, fetchedAt: string): LimitsSnapshot {
  const byId = Object.values(result.rateLimitsByLimitId ?? {}).filter((s): s is RateLimitSnapshot => s !== undefined);
  const buckets = (byId.length > 0 ? byId : [result.rateLimits]).map((s) => bucketFromSnapshot(s));
  const snapshot = appServerSnapshot(result.rateLimits.planType ?? null, buckets, fetchedAt);
  // Null (codex could not fetch them) or absent (codex before 0.169): unknown, so the last count stays.
  const credits = result.rateLimitResetCredits;
  if (credits) snapshot.resetCredits = credits.availableCount;
  return mergeLimits(null, snapshot, 'complete');
}

/** `account/rateLimits/updated` carries one bucket, sparse: only the fields it has overwrite. */
export function mergeRateLimitsUpdate(
  prev: LimitsSnapshot | null,
  update: RateLimitSnapshot,
  now: Date,
): LimitsSnapshot {
  const old = prev?.buckets.find((b) => b.limitId === (update.limitId ?? 'codex')) ?? null;
  const next = appServerSnapshot(update.planType ?? null, [bucketFromSnapshot(update, old)], now.toISOString());
  return mergeLimits(prev, next, 'partial');
}
