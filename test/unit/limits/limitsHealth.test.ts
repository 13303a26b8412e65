import { describe, expect, it } from 'vitest';
import {
  activeBucket,
  remainingPercent,
  snapshotExhaustion,
  UNKNOWN_RESET_MS,
  usageLimitExhaustion,
} from '../../../src/limits/exhaustion.js';
import { limitsStaleness, STALE_AFTER_MS } from '../../../src/limits/limitsStaleness.js';
import type { LimitBucket, LimitsSnapshot } from '../../../src/shared/schemas/limits.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const S = NOW / 1000;

function bucket(over: Partial<LimitBucket> = {}): LimitBucket {
  return {
    limitId: 'codex',
    limitName: null,
    primary: { usedPercent: 40, windowMinutes: 300, resetsAt: S + 3600 },
    secondary: { usedPercent: 10, windowMinutes: 10080, resetsAt: S + 86400 },
    credits: null,
    reachedType: null,
    ...over,
  };
}

function snap(over: Partial<LimitsSnapshot> = {}): LimitsSnapshot {
  return {
    source: 'headers',
    fetchedAt: new Date(NOW - 60_000).toISOString(),
    planType: 'pro',
    activeLimit: null,
    buckets: [bucket()],
    error: null,
    ...over,
  };
}

describe('limitsStaleness', () => {
  it('is fresh for 10 minutes', () => {
    expect(limitsStaleness(snap(), NOW)).toEqual({ stale: false, staleReason: null });
    expect(limitsStaleness(snap({ fetchedAt: new Date(NOW - STALE_AFTER_MS).toISOString() }), NOW).stale).toBe(false);
    expect(limitsStaleness(snap({ fetchedAt: new Date(NOW - STALE_AFTER_MS - 1).toISOString() }), NOW)).toEqual({
      stale: true,
      staleReason: 'older than 10 minutes',
    });
  });

  it('is stale once a window has reset, since its used percent is then wrong', () => {
    const reset = snap({ buckets: [bucket({ primary: { usedPercent: 90, windowMinutes: 300, resetsAt: S - 1 } })] });
    expect(limitsStaleness(reset, NOW)).toEqual({ stale: true, staleReason: 'the 5h window has reset since' });
  });

  it('is stale when loaded from disk or after a failed read', () => {
    expect(limitsStaleness(snap({ source: 'persisted', fetchedAt: new Date(NOW).toISOString() }), NOW)).toEqual({
      stale: true,
      staleReason: 'saved before the daemon restarted',
    });
    expect(limitsStaleness(snap({ error: 'timeout' }), NOW)).toEqual({
      stale: true,
      staleReason: 'last read failed: timeout',
    });
  });

  it('treats an unreadable time as stale', () => {
    expect(limitsStaleness(snap({ fetchedAt: 'garbage' }), NOW).stale).toBe(true);
  });
});

describe('exhaustion', () => {
  it('picks the active bucket, else codex, else the first', () => {
    const other = bucket({ limitId: 'codex_other' });
    expect(activeBucket(snap({ buckets: [bucket(), other], activeLimit: 'codex_other' }))).toBe(other);
    expect(activeBucket(snap({ buckets: [other, bucket()] }))!.limitId).toBe('codex');
    expect(activeBucket(snap({ buckets: [other] }))).toBe(other);
    expect(activeBucket(null)).toBeNull();
  });

  it('remaining capacity is the tightest window of the active bucket', () => {
    expect(remainingPercent(snap())).toBe(60);
    expect(
      remainingPercent(
        snap({ buckets: [bucket({ secondary: { usedPercent: 95, windowMinutes: 10080, resetsAt: null } })] }),
      ),
    ).toBe(5);
    expect(remainingPercent(snap({ buckets: [] }))).toBeNull();
  });

  it('a window at 100 % exhausts the account until it resets; the later of two full windows wins', () => {
    expect(snapshotExhaustion(snap(), NOW)).toBeNull();
    const full = snap({ buckets: [bucket({ primary: { usedPercent: 100, windowMinutes: 300, resetsAt: S + 600 } })] });
    expect(snapshotExhaustion(full, NOW)).toEqual({ until: NOW + 600_000, reason: '5h limit at 100%' });
    const both = snap({
      buckets: [
        bucket({
          primary: { usedPercent: 100, windowMinutes: 300, resetsAt: S + 600 },
          secondary: { usedPercent: 100, windowMinutes: 10080, resetsAt: S + 9000 },
        }),
      ],
    });
    expect(snapshotExhaustion(both, NOW)).toEqual({ until: NOW + 9_000_000, reason: 'weekly limit at 100%' });
  });

  it('ignores a full window that already reset, full windows of other buckets, and accounts with credits', () => {
    expect(
      snapshotExhaustion(
        snap({ buckets: [bucket({ primary: { usedPercent: 100, windowMinutes: 300, resetsAt: S - 5 } })] }),
        NOW,
      ),
    ).toBeNull();
    const otherFull = bucket({
      limitId: 'codex_other',
      primary: { usedPercent: 100, windowMinutes: 60, resetsAt: S + 60 },
    });
    expect(snapshotExhaustion(snap({ buckets: [bucket(), otherFull] }), NOW)).toBeNull();
    const credits = bucket({
      primary: { usedPercent: 100, windowMinutes: 300, resetsAt: S + 60 },
      credits: { hasCredits: true, unlimited: false, balance: '5' },
    });
    expect(snapshotExhaustion(snap({ buckets: [credits] }), NOW)).toBeNull();
  });

  it('without a reset time a full window counts until the snapshot goes stale', () => {
    const fetched = NOW - 60_000;
    const s = snap({
      fetchedAt: new Date(fetched).toISOString(),
      buckets: [bucket({ primary: { usedPercent: 100, windowMinutes: null, resetsAt: null } })],
    });
    expect(snapshotExhaustion(s, NOW)).toEqual({ until: fetched + STALE_AFTER_MS, reason: 'a limit at 100%' });
  });

  it('a 429 usage_limit_reached lasts until resets_at, else the full window, else a short guess', () => {
    expect(usageLimitExhaustion(S + 120, null, NOW)).toEqual({ until: NOW + 120_000, reason: 'usage limit reached' });
    const full = snap({
      buckets: [
        bucket({
          secondary: { usedPercent: 100, windowMinutes: 10080, resetsAt: S + 5000 },
          credits: { hasCredits: true, unlimited: false, balance: '0' },
        }),
      ],
    });
    expect(usageLimitExhaustion(null, full, NOW)).toEqual({
      until: NOW + 5_000_000,
      reason: 'usage limit reached (weekly limit at 100%)',
    });
    expect(usageLimitExhaustion(S - 10, snap(), NOW)).toEqual({
      until: NOW + UNKNOWN_RESET_MS,
      reason: 'usage limit reached',
    });
  });
});
