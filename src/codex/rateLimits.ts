import type { LimitBucket, LimitsSnapshot, LimitWindow } from '../shared/schemas/limits.js';
import type { RateLimitSnapshot, RateLimitsReadResult } from './appServerProtocol.js';

type AppServerWindow = NonNullable<RateLimitSnapshot['primary']>;

function toWindow(w: AppServerWindow | null | undefined): LimitWindow | null {
  if (!w) return null;
  return { usedPercent: w.usedPercent, windowMinutes: w.windowDurationMins ?? null, resetsAt: w.resetsAt ?? null };
}

export function bucketFromSnapshot(s: RateLimitSnapshot): LimitBucket {
  return {
    limitId: s.limitId ?? 'codex',
    limitName: s.limitName ?? null,
    primary: toWindow(s.primary),
    secondary: toWindow(s.secondary),
    credits: s.credits
      ? { hasCredits: s.credits.hasCredits, unlimited: s.credits.unlimited, balance: s.credits.balance ?? null }
      : null,
    reachedType: s.rateLimitReachedType ?? null,
  };
}

/** `account/rateLimits/read` → ccbridge's limits snapshot: one bucket per limit id, `codex` first. */
export function limitsFromAppServer(result: RateLimitsReadResult, fetchedAt: string): LimitsSnapshot {
  const byId = Object.values(result.rateLimitsByLimitId ?? {}).filter((s): s is RateLimitSnapshot => s !== undefined);
  const buckets = (byId.length > 0 ? byId : [result.rateLimits]).map(bucketFromSnapshot);
  buckets.sort((a, b) => Number(b.limitId === 'codex') - Number(a.limitId === 'codex'));
  return {
    source: 'app-server',
    fetchedAt,
    planType: result.rateLimits.planType ?? null,
    activeLimit: null,
    buckets,
    error: null,
  };
}
