import { describe, expect, it } from 'vitest';
import { limitsFromAppServer, mergeRateLimitsUpdate } from '../../../src/codex/limitsFromAppServer.js';
import { mergeLimits, withReadError } from '../../../src/limits/mergeLimits.js';
import { parseLimitHeaders } from '../../../src/limits/parseLimitHeaders.js';
import type { RateLimitsReadResult } from '../../../src/codex/appServerProtocol.js';

const T0 = new Date('2025-01-01T12:00:00Z');
const T1 = new Date('2025-01-01T12:01:00Z');

/** An `account/rateLimits/read` result as codex 0.169 returns it: every bucket by limit id. */
const read: RateLimitsReadResult = {
  rateLimits: {
    limitId: 'codex',
    limitName: null,
    primary: { usedPercent: 42, windowDurationMins: 300, resetsAt: 1735740000 },
    secondary: { usedPercent: 7, windowDurationMins: 10080, resetsAt: 1736200000 },
    credits: { hasCredits: true, unlimited: false, balance: '9.99' },
    planType: 'pro',
    rateLimitReachedType: null,
  },
  rateLimitsByLimitId: {
    codex_other: {
      limitId: 'codex_other',
      limitName: 'gpt-5.2-codex-sonic',
      primary: { usedPercent: 10, windowDurationMins: 60, resetsAt: 1735738000 },
      secondary: null,
      credits: null,
      planType: 'pro',
      rateLimitReachedType: null,
    },
    codex: {
      limitId: 'codex',
      limitName: null,
      primary: { usedPercent: 42, windowDurationMins: 300, resetsAt: 1735740000 },
      secondary: { usedPercent: 7, windowDurationMins: 10080, resetsAt: 1736200000 },
      credits: { hasCredits: true, unlimited: false, balance: '9.99' },
      planType: 'pro',
      rateLimitReachedType: null,
    },
  },
};

describe('rateLimits/read → snapshot', () => {
  it('keeps every bucket, codex first, with the plan', () => {
    const snap = limitsFromAppServer(read, T0.toISOString());
    expect(snap.source).toBe('app-server');
    expect(snap.planType).toBe('pro');
    expect(snap.buckets.map((b) => b.limitId)).toEqual(['codex', 'codex_other']);
    expect(snap.buckets[1]).toMatchObject({
      limitName: 'gpt-5.2-codex-sonic',
      primary: { usedPercent: 10, windowMinutes: 60, resetsAt: 1735738000 },
    });
  });
});

describe('rate-limit reset credits', () => {
  // codex 0.169's GetAccountRateLimitsResponse.rateLimitResetCredits (RateLimitResetCreditsSummary).
  const banked = {
    availableCount: 2,
    credits: [
      {
        id: 'rc_1',
        resetType: 'codexRateLimits',
        status: 'available',
        grantedAt: 1735000000,
        expiresAt: null,
        title: 'Rate limit reset',
        description: null,
      },
    ],
  };

  it('counts what a read reports; null (not fetched) and an older codex say nothing', () => {
    expect(limitsFromAppServer({ ...read, rateLimitResetCredits: banked }, T0.toISOString()).resetCredits).toBe(2);
    const none = { ...banked, availableCount: 0, credits: [] };
    expect(limitsFromAppServer({ ...read, rateLimitResetCredits: none }, T0.toISOString()).resetCredits).toBe(0);
    expect(
      limitsFromAppServer({ ...read, rateLimitResetCredits: null }, T0.toISOString()).resetCredits,
    ).toBeUndefined();
    expect(limitsFromAppServer(read, T0.toISOString()).resetCredits).toBeUndefined();
  });

  it('headers and sparse updates keep the last count', () => {
    const prev = limitsFromAppServer({ ...read, rateLimitResetCredits: banked }, T0.toISOString());
    const headers = parseLimitHeaders({ 'x-codex-primary-used-percent': '50' }, T1)!;
    expect(mergeLimits(prev, headers, 'partial').resetCredits).toBe(2);
    expect(mergeRateLimitsUpdate(prev, { limitId: 'codex', primary: { usedPercent: 51 } }, T1).resetCredits).toBe(2);
  });
});

describe('mergeLimits', () => {
  const full = limitsFromAppServer(read, T0.toISOString());

  it('headers update their families and keep the rest, the plan and the active limit', () => {
    const headers = parseLimitHeaders(
      {
        'x-codex-primary-used-percent': '50',
        'x-codex-primary-window-minutes': '300',
        'x-codex-active-limit': 'codex',
      },
      T1,
    )!;
    const merged = mergeLimits(full, headers, 'partial');
    expect(merged.source).toBe('headers');
    expect(merged.fetchedAt).toBe(T1.toISOString());
    expect(merged.planType).toBe('pro');
    expect(merged.activeLimit).toBe('codex');
    expect(merged.buckets.map((b) => [b.limitId, b.primary?.usedPercent])).toEqual([
      ['codex', 50],
      ['codex_other', 10],
    ]);
    // Headers replace a family whole: no secondary window in this response means none known from it.
    expect(merged.buckets[0]!.secondary).toBeNull();
  });

  it('a complete read replaces every bucket but keeps the active limit headers named', () => {
    const prev = mergeLimits(
      null,
      parseLimitHeaders({ 'x-codex-gone-primary-used-percent': '3', 'x-codex-active-limit': 'codex_gone' }, T0)!,
      'partial',
    );
    const merged = mergeLimits(prev, limitsFromAppServer(read, T1.toISOString()), 'complete');
    expect(merged.buckets.map((b) => b.limitId)).toEqual(['codex', 'codex_other']);
    expect(merged.activeLimit).toBe('codex_gone');
  });

  it('new data clears a previous read error', () => {
    const failed = withReadError(full, 'app-server timed out', T1);
    expect(failed).toMatchObject({ error: 'app-server timed out', fetchedAt: T0.toISOString(), buckets: full.buckets });
    expect(mergeLimits(failed, full, 'complete').error).toBeNull();
  });

  it('a failed read with nothing before it is an empty snapshot carrying the error', () => {
    expect(withReadError(null, 'codex missing', T1)).toEqual({
      source: 'app-server',
      fetchedAt: T1.toISOString(),
      planType: null,
      activeLimit: null,
      buckets: [],
      error: 'codex missing',
    });
  });
});

describe('mergeRateLimitsUpdate (sparse account/rateLimits/updated)', () => {
  const full = limitsFromAppServer(read, T0.toISOString());

  it('overwrites only the fields it carries', () => {
    const merged = mergeRateLimitsUpdate(
      full,
      { limitId: 'codex', primary: { usedPercent: 43 }, secondary: null, credits: null, planType: null },
      T1,
    );
    const codex = merged.buckets[0]!;
    expect(codex.primary).toEqual({ usedPercent: 43, windowMinutes: 300, resetsAt: 1735740000 });
    expect(codex.secondary).toEqual({ usedPercent: 7, windowMinutes: 10080, resetsAt: 1736200000 });
    expect(codex.credits).toEqual({ hasCredits: true, unlimited: false, balance: '9.99' });
    expect(merged.buckets[1]).toEqual(full.buckets[1]);
    expect(merged.planType).toBe('pro');
    expect(merged.fetchedAt).toBe(T1.toISOString());
  });

  it('defaults to the codex bucket and adds a bucket it has not seen', () => {
    const a = mergeRateLimitsUpdate(
      full,
      {
        secondary: { usedPercent: 9, windowDurationMins: 10080, resetsAt: 1736300000 },
        rateLimitReachedType: 'rate_limit_reached',
      },
      T1,
    );
    expect(a.buckets[0]).toMatchObject({
      limitId: 'codex',
      secondary: { usedPercent: 9, resetsAt: 1736300000 },
      reachedType: 'rate_limit_reached',
      primary: { usedPercent: 42 },
    });
    const b = mergeRateLimitsUpdate(
      a,
      { limitId: 'codex_new', limitName: 'New', primary: { usedPercent: 1, windowDurationMins: 60 } },
      T1,
    );
    expect(b.buckets.map((x) => x.limitId)).toEqual(['codex', 'codex_other', 'codex_new']);
    expect(b.buckets[2]).toEqual({
      limitId: 'codex_new',
      limitName: 'New',
      primary: { usedPercent: 1, windowMinutes: 60, resetsAt: null },
      secondary: null,
      credits: null,
      reachedType: null,
    });
  });

  it('starts a snapshot from nothing', () => {
    const snap = mergeRateLimitsUpdate(
      null,
      { primary: { usedPercent: 5, windowDurationMins: 300, resetsAt: 1 }, planType: 'plus' },
      T1,
    );
    expect(snap).toMatchObject({
      source: 'app-server',
      planType: 'plus',
      buckets: [{ limitId: 'codex', primary: { usedPercent: 5 } }],
    });
  });
});
