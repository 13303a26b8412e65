import type { ExhaustionMark, LimitBucket, LimitsSnapshot, LimitWindow } from '../shared/schemas/limits.js';
import { formatWindowName } from '../shared/format.js';
import { STALE_AFTER_MS } from './limitsStaleness.js';

/** An account out of quota until `until` (unix ms), and why. */
export type Exhaustion = ExhaustionMark;

/** The bucket the account's requests count against: the active limit, else `codex`, else the first. */
export function activeBucket(snapshot: LimitsSnapshot | null): LimitBucket | null {
  if (!snapshot?.buckets.length) return null;
  return (
    snapshot.buckets.find((b) => b.limitId === snapshot.activeLimit) ??
    snapshot.buckets.find((b) => b.limitId === 'codex') ??
    snapshot.buckets[0] ??
    null
  );
}

const windowsOf = (bucket: LimitBucket | null): LimitWindow[] =>
  [bucket?.primary, bucket?.secondary].filter((w): w is LimitWindow => !!w);

/**
 * The window of the active bucket that binds: the fullest one (ties: the one that resets first). `drain`
 * ranks accounts by its reset.
 */
export function bindingWindow(snapshot: LimitsSnapshot | null): LimitWindow | null {
  let best: LimitWindow | null = null;
  for (const w of windowsOf(activeBucket(snapshot))) {
    if (
      !best ||
      w.usedPercent > best.usedPercent ||
      (w.usedPercent === best.usedPercent && (w.resetsAt ?? Infinity) < (best.resetsAt ?? Infinity))
    )
      best = w;
  }
  return best;
}

/** Percent left in the tightest window of the active bucket; null when nothing is known. */
export function remainingPercent(snapshot: LimitsSnapshot | null): number | null {
  const windows = windowsOf(activeBucket(snapshot));
  if (windows.length === 0) return null;
  return Math.max(0, 100 - Math.max(...windows.map((w) => w.usedPercent)));
}

/** Purchased credits keep an account serving after its windows are used up. */
const hasCredits = (bucket: LimitBucket) => !!bucket.credits && (bucket.credits.unlimited || bucket.credits.hasCredits);

/** The latest reset among the active bucket's windows at 100 % (the later one is what matters). */
function fullWindow(snapshot: LimitsSnapshot, now: number): Exhaustion | null {
  let found: Exhaustion | null = null;
  for (const w of windowsOf(activeBucket(snapshot))) {
    if (w.usedPercent < 100) continue;
    // Without a reset time the snapshot is believed until it goes stale.
    const until = w.resetsAt !== null ? w.resetsAt * 1000 : Date.parse(snapshot.fetchedAt) + STALE_AFTER_MS;
    if (until > now && (!found || until > found.until))
      found = {
        until,
        reason: `${w.windowMinutes ? `${formatWindowName(w.windowMinutes)} limit` : 'a limit'} at 100%`,
      };
  }
  return found;
}

/** A window of the active bucket at 100 % that has not reset yet, unless credits keep the account going. */
export function snapshotExhaustion(snapshot: LimitsSnapshot | null, now: number): Exhaustion | null {
  const bucket = activeBucket(snapshot);
  if (!snapshot || !bucket || hasCredits(bucket)) return null;
  return fullWindow(snapshot, now);
}

/** How long to sit out a `usage_limit_reached` that names no reset time (a limits read corrects it). */
export const UNKNOWN_RESET_MS = 15 * 60_000;

/**
 * A 429 `usage_limit_reached`: out of rotation until its `resets_at` (unix seconds), else the reset
 * of the full window in the snapshot its headers just updated, else a short guess.
 */
export function usageLimitExhaustion(
  resetsAt: number | null,
  snapshot: LimitsSnapshot | null,
  now: number,
): Exhaustion {
  if (resetsAt !== null && resetsAt * 1000 > now) return { until: resetsAt * 1000, reason: 'usage limit reached' };
  const fromSnapshot = snapshot ? fullWindow(snapshot, now) : null;
  if (fromSnapshot) return { until: fromSnapshot.until, reason: `usage limit reached (${fromSnapshot.reason})` };
  return { until: now + UNKNOWN_RESET_MS, reason: 'usage limit reached' };
}
