import type { LimitsSnapshot } from '../shared/schemas/limits.js';
import { formatWindowName } from '../shared/format.js';

/**
 * Limits move with every request made on the account, including ones made outside ccbridge (codex
 * itself, chatgpt.com), so numbers older than two periodic refreshes of an attached TUI are not to be
 * trusted for routing or shown without a warning.
 */
export const STALE_AFTER_MS = 10 * 60_000;

export interface Staleness {
  stale: boolean;
  staleReason: string | null;
}

/**
 * Whether a snapshot still describes the account, and if not, why: it came from before a restart,
 * the last read failed, it is older than 10 minutes, or one of its windows has reset since (the used
 * percentage then dropped to zero, so the number shown is known to be wrong).
 */
export function limitsStaleness(snapshot: LimitsSnapshot, now: number): Staleness {
  const stale = (staleReason: string): Staleness => ({ stale: true, staleReason });
  if (snapshot.error) return stale(`last read failed: ${snapshot.error}`);
  if (snapshot.source === 'persisted') return stale('saved before the daemon restarted');
  const age = now - Date.parse(snapshot.fetchedAt);
  if (!(age <= STALE_AFTER_MS)) return stale('older than 10 minutes');
  for (const bucket of snapshot.buckets) {
    for (const w of [bucket.primary, bucket.secondary]) {
      if (w?.resetsAt != null && w.resetsAt * 1000 <= now)
        return stale(`${w.windowMinutes ? `the ${formatWindowName(w.windowMinutes)}` : 'a'} window has reset since`);
    }
  }
  return { stale: false, staleReason: null };
}
