import { describe, expect, it } from 'vitest';
import { limitHeadersSignature, parseLimitHeaders } from '../../../src/limits/parseLimitHeaders.js';

const NOW = new Date('2025-01-01T12:00:00Z');

describe('parseLimitHeaders', () => {
  it('reads the codex family: both windows, credits, plan-free', () => {
    const snap = parseLimitHeaders(
      new Headers({
        'x-codex-primary-used-percent': '42.5',
        'x-codex-primary-window-minutes': '300',
        'x-codex-primary-reset-at': '1735740000',
        'x-codex-secondary-used-percent': '7',
        'x-codex-secondary-window-minutes': '10080',
        'x-codex-secondary-reset-at': '1736200000',
        'x-codex-credits-has-credits': 'true',
        'x-codex-credits-unlimited': '0',
        'x-codex-credits-balance': '9.99',
        'content-type': 'text/event-stream',
      }),
      NOW,
    );
    expect(snap).toEqual({
      source: 'headers',
      fetchedAt: '2025-01-01T12:00:00.000Z',
      planType: null,
      activeLimit: null,
      error: null,
      buckets: [
        {
          limitId: 'codex',
          limitName: null,
          primary: { usedPercent: 42.5, windowMinutes: 300, resetsAt: 1735740000 },
          secondary: { usedPercent: 7, windowMinutes: 10080, resetsAt: 1736200000 },
          credits: { hasCredits: true, unlimited: false, balance: '9.99' },
          reachedType: null,
        },
      ],
    });
  });

  it('finds every other family by its primary-used-percent header, with its limit name', () => {
    const snap = parseLimitHeaders(
      {
        'X-Codex-Primary-Used-Percent': '12',
        'x-codex-secondary-primary-used-percent': '80',
        'x-codex-secondary-primary-window-minutes': '1440',
        'x-codex-secondary-primary-reset-at': '1704074400',
        'x-codex-bengalfox-primary-used-percent': '100',
        'x-codex-bengalfox-secondary-used-percent': '55',
        'x-codex-bengalfox-secondary-window-minutes': '10080',
        'x-codex-bengalfox-limit-name': ' gpt-5.2-codex-sonic ',
      },
      NOW,
    )!;
    expect(snap.buckets.map((b) => b.limitId)).toEqual(['codex', 'codex_bengalfox', 'codex_secondary']);
    const [, fox, second] = snap.buckets;
    expect(second).toMatchObject({
      limitName: null,
      primary: { usedPercent: 80, windowMinutes: 1440, resetsAt: 1704074400 },
      secondary: null,
    });
    expect(fox).toMatchObject({
      limitName: 'gpt-5.2-codex-sonic',
      primary: { usedPercent: 100, windowMinutes: null, resetsAt: null },
    });
    expect(fox!.secondary).toEqual({ usedPercent: 55, windowMinutes: 10080, resetsAt: null });
  });

  it('puts the reached type on the active limit family and normalizes its id', () => {
    const snap = parseLimitHeaders(
      {
        'x-codex-primary-used-percent': '30',
        'x-codex-other-primary-used-percent': '100',
        'x-codex-other-primary-reset-at': '1735760000',
        'x-codex-active-limit': 'codex-other',
        'x-codex-rate-limit-reached-type': 'workspace_member_usage_limit_reached',
        'x-codex-promo-message': 'Extra capacity is available',
      },
      NOW,
    )!;
    expect(snap.activeLimit).toBe('codex_other');
    expect(snap.buckets.find((b) => b.limitId === 'codex')!.reachedType).toBeNull();
    expect(snap.buckets.find((b) => b.limitId === 'codex_other')!.reachedType).toBe(
      'workspace_member_usage_limit_reached',
    );
  });

  it('attaches the account-wide credits to every family, as codex does', () => {
    const snap = parseLimitHeaders(
      {
        'x-codex-other-primary-used-percent': '5',
        'x-codex-credits-has-credits': 'false',
        'x-codex-credits-unlimited': 'TRUE',
        'x-codex-credits-balance': '',
      },
      NOW,
    )!;
    expect(snap.buckets.map((b) => [b.limitId, b.credits])).toEqual([
      ['codex', { hasCredits: false, unlimited: true, balance: null }],
      ['codex_other', { hasCredits: false, unlimited: true, balance: null }],
    ]);
  });

  it('drops all-zero windows, unparsable numbers and half-given credits', () => {
    const snap = parseLimitHeaders(
      {
        'x-codex-primary-used-percent': '0',
        'x-codex-primary-window-minutes': '0',
        'x-codex-secondary-used-percent': 'abc',
        'x-codex-secondary-window-minutes': '10080',
        'x-codex-credits-has-credits': 'yes',
        'x-codex-credits-unlimited': 'false',
        'x-codex-other-primary-used-percent': '0',
        'x-codex-other-primary-window-minutes': '300',
        'x-codex-other-primary-reset-at': '17.5',
      },
      NOW,
    )!;
    expect(snap.buckets).toEqual([
      {
        limitId: 'codex_other',
        limitName: null,
        primary: { usedPercent: 0, windowMinutes: 300, resetsAt: null },
        secondary: null,
        credits: null,
        reachedType: null,
      },
    ]);
  });

  it('returns null for a response without rate-limit data', () => {
    expect(
      parseLimitHeaders(new Headers({ 'content-type': 'application/json', 'x-request-id': 'r1' }), NOW),
    ).toBeNull();
    expect(parseLimitHeaders({}, NOW)).toBeNull();
  });

  it('reads node-style header records with array values', () => {
    const snap = parseLimitHeaders(
      { 'x-codex-primary-used-percent': ['64'], 'x-codex-primary-window-minutes': '300', other: undefined },
      NOW,
    )!;
    expect(snap.buckets[0]!.primary).toEqual({ usedPercent: 64, windowMinutes: 300, resetsAt: null });
  });
});

describe('limitHeadersSignature', () => {
  it('changes with the rate-limit numbers, not with per-response ids', () => {
    const base = {
      'x-codex-primary-used-percent': '42',
      'x-codex-primary-reset-at': '1900000000',
      'content-type': 'x',
    };
    const a = limitHeadersSignature({ ...base, 'x-request-id': 'r1', 'x-codex-inference-call-id': 'c1' });
    const b = limitHeadersSignature({ ...base, 'x-request-id': 'r2', 'x-codex-inference-call-id': 'c2' });
    expect(a).toBe(b);
    expect(limitHeadersSignature({ ...base, 'x-codex-primary-used-percent': '43' })).not.toBe(a);
    expect(limitHeadersSignature({ ...base, 'x-codex-credits-balance': '9.99' })).not.toBe(a);
    expect(limitHeadersSignature({ ...base, 'x-codex-other-secondary-window-minutes': '60' })).not.toBe(a);
  });
});
