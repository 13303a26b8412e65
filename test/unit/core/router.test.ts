import { describe, expect, it } from 'vitest';
import { accountAvailability, routeRequest, type RouteInput, type RouterAccount } from '../../../src/core/router.js';
import { StickySessions } from '../../../src/core/stickySessions.js';
import type { LimitsSnapshot } from '../../../src/shared/schemas/limits.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const S = NOW / 1000;

function acct(id: string, over: Partial<RouterAccount> = {}): RouterAccount {
  return {
    id,
    name: id,
    enabled: true,
    auth: 'ok',
    exhaustedUntil: null,
    exhaustedReason: null,
    cooldownUntil: null,
    cooldownReason: null,
    limits: null,
    ...over,
  };
}

function used(percent: number, resetsIn = 3600): LimitsSnapshot {
  return {
    source: 'headers',
    fetchedAt: new Date(NOW).toISOString(),
    planType: null,
    activeLimit: null,
    buckets: [
      {
        limitId: 'codex',
        limitName: null,
        primary: { usedPercent: percent, windowMinutes: 300, resetsAt: S + resetsIn },
        secondary: null,
        credits: null,
        reachedType: null,
      },
    ],
    error: null,
  };
}

const input = (accounts: RouterAccount[], over: Partial<RouteInput> = {}): RouteInput => ({
  mode: 'failover',
  accounts,
  activeAccountId: accounts[0]?.id ?? null,
  defaultAccountId: accounts[0]?.id ?? null,
  stickyAccountId: null,
  now: NOW,
  ...over,
});

const candidates = (i: RouteInput) => {
  const d = routeRequest(i);
  if (d.kind !== 'route') throw new Error(`refused: ${d.message}`);
  return d.candidates;
};

describe('accountAvailability', () => {
  it('reports the reason an account cannot serve', () => {
    expect(accountAvailability(acct('a', { enabled: false }), NOW)).toEqual({ state: 'disabled' });
    expect(accountAvailability(acct('a', { auth: 'needs-login' }), NOW)).toEqual({ state: 'needs-login' });
    expect(
      accountAvailability(acct('a', { exhaustedUntil: NOW + 10, exhaustedReason: 'usage limit reached' }), NOW),
    ).toEqual({ state: 'exhausted', until: NOW + 10, reason: 'usage limit reached' });
    expect(accountAvailability(acct('a', { cooldownUntil: NOW + 60_000, cooldownReason: '503' }), NOW)).toEqual({
      state: 'cooldown',
      until: NOW + 60_000,
      reason: '503',
    });
    expect(accountAvailability(acct('a', { limits: used(100, 600) }), NOW)).toEqual({
      state: 'exhausted',
      until: NOW + 600_000,
      reason: '5h limit at 100%',
    });
    expect(accountAvailability(acct('a', { limits: used(30) }), NOW)).toEqual({ state: 'available', remaining: 70 });
  });

  it('forgets marks once their time has passed', () => {
    expect(accountAvailability(acct('a', { exhaustedUntil: NOW, cooldownUntil: NOW - 1 }), NOW)).toEqual({
      state: 'available',
      remaining: null,
    });
  });

  it('of a 429 mark and a full window, the later reset wins', () => {
    expect(accountAvailability(acct('a', { exhaustedUntil: NOW + 5_000, limits: used(100, 600) }), NOW)).toMatchObject({
      until: NOW + 600_000,
    });
    expect(
      accountAvailability(acct('a', { exhaustedUntil: NOW + 900_000, limits: used(100, 600) }), NOW),
    ).toMatchObject({ until: NOW + 900_000 });
  });
});

describe('routeRequest: failover', () => {
  it('uses the active account while it can serve, then the others in order', () => {
    const d = routeRequest(input([acct('a'), acct('b'), acct('c')]));
    expect(d).toEqual({ kind: 'route', candidates: ['a', 'b', 'c'], switched: null });
  });

  it('skips an exhausted active account, names why, and skips disabled or logged-out accounts', () => {
    const d = routeRequest(
      input([
        acct('a', { exhaustedUntil: NOW + 3_600_000, exhaustedReason: 'usage limit reached' }),
        acct('x', { enabled: false }),
        acct('y', { auth: 'not-connected' }),
        acct('b'),
      ]),
    );
    expect(d).toEqual({
      kind: 'route',
      candidates: ['b'],
      switched: { from: 'a', to: 'b', why: 'a is out of quota until 13:00 (usage limit reached)' },
    });
  });

  it('goes back to the active account after its reset', () => {
    const accounts = [acct('a', { limits: used(100, 60) }), acct('b')];
    expect(candidates(input(accounts))).toEqual(['b']);
    expect(candidates(input(accounts, { now: NOW + 61_000 }))).toEqual(['a', 'b']);
  });

  it('the active account wins over the default and the registry order', () => {
    expect(
      candidates(input([acct('a'), acct('b'), acct('c')], { activeAccountId: 'c', defaultAccountId: 'b' })),
    ).toEqual(['c', 'a', 'b']);
    // A disabled active account falls back to the default as the preferred one.
    expect(
      candidates(
        input([acct('a'), acct('b'), acct('c', { enabled: false })], { activeAccountId: 'c', defaultAccountId: 'b' }),
      ),
    ).toEqual(['b', 'a']);
  });

  it('puts accounts cooling down after a 5xx last, soonest first', () => {
    const d = routeRequest(
      input([acct('a', { cooldownUntil: NOW + 50_000 }), acct('b', { cooldownUntil: NOW + 10_000 }), acct('c')]),
    );
    expect(d).toMatchObject({ kind: 'route', candidates: ['c', 'b', 'a'], switched: { from: 'a', to: 'c' } });
    expect((d as { switched: { why: string } }).switched.why).toBe('a is cooling down for 50s (upstream error)');
  });

  it('keeps a session on its fallback account rather than hopping between backups', () => {
    const accounts = [acct('a', { exhaustedUntil: NOW + 60_000 }), acct('b'), acct('c')];
    expect(routeRequest(input(accounts, { stickyAccountId: 'c' }))).toEqual({
      kind: 'route',
      candidates: ['c', 'b'],
      switched: null,
    });
    // Once the active account is back, the session returns to it.
    expect(routeRequest(input(accounts, { stickyAccountId: 'c', now: NOW + 60_000 }))).toEqual({
      kind: 'route',
      candidates: ['a', 'c', 'b'],
      switched: { from: 'c', to: 'a', why: 'back to the active account a' },
    });
  });
});

describe('routeRequest: all exhausted', () => {
  it('refuses with the earliest reset as retry-after and names that account and time', () => {
    const d = routeRequest(
      input([
        acct('work', { exhaustedUntil: NOW + 7_200_000, exhaustedReason: 'usage limit reached' }),
        acct('home', { limits: used(100, 1830) }),
        acct('off', { enabled: false }),
      ]),
    );
    expect(d).toEqual({
      kind: 'refused',
      reason: 'exhausted',
      accountId: 'home',
      resetsAt: NOW + 1_830_000,
      retryAfterSeconds: 1830,
      message:
        'all 2 connected accounts are out of Codex quota; the first to reset is home at 12:30 (in 30m 30s; 5h limit at 100%)',
    });
  });

  it('a single exhausted account is named with its reset', () => {
    const d = routeRequest(
      input([acct('solo', { exhaustedUntil: NOW + 90_500, exhaustedReason: 'usage limit reached' })]),
    );
    expect(d).toMatchObject({
      kind: 'refused',
      retryAfterSeconds: 91,
      message: 'account solo is out of Codex quota until 12:01 (in 1m 31s; usage limit reached)',
    });
  });

  it('with nothing exhausted but nothing usable, the active account is still tried so the bridge names the fix', () => {
    expect(routeRequest(input([acct('a', { auth: 'needs-login' }), acct('b', { auth: 'not-connected' })]))).toEqual({
      kind: 'route',
      candidates: ['a'],
      switched: null,
    });
  });

  it('with no account at all, refuses and says how to add one', () => {
    expect(routeRequest(input([]))).toMatchObject({
      kind: 'refused',
      reason: 'no_account',
      message: expect.stringContaining('ccbridge add'),
    });
    expect(routeRequest(input([acct('a', { enabled: false })]))).toMatchObject({
      kind: 'refused',
      reason: 'no_account',
      message: expect.stringContaining('ccbridge enable'),
    });
  });
});

describe('routeRequest: manual', () => {
  it('never switches, whatever the active account’s state', () => {
    const accounts = [acct('a', { exhaustedUntil: NOW + 60_000, cooldownUntil: NOW + 1000 }), acct('b')];
    expect(routeRequest(input(accounts, { mode: 'manual' }))).toEqual({
      kind: 'route',
      candidates: ['a'],
      switched: null,
    });
    expect(routeRequest(input(accounts, { mode: 'manual', stickyAccountId: 'b' }))).toEqual({
      kind: 'route',
      candidates: ['a'],
      switched: null,
    });
    expect(routeRequest(input([acct('a', { limits: used(100) })], { mode: 'manual' }))).toMatchObject({
      kind: 'route',
      candidates: ['a'],
    });
  });
});

describe('routeRequest: balance', () => {
  const accounts = [acct('a', { limits: used(80) }), acct('b', { limits: used(20) }), acct('c', { limits: used(50) })];

  it('sends a new session to the account with the most capacity left', () => {
    expect(routeRequest(input(accounts, { mode: 'balance' }))).toEqual({
      kind: 'route',
      candidates: ['b', 'c', 'a'],
      switched: null,
    });
  });

  it('counts unknown capacity as full and breaks ties toward the active account', () => {
    expect(
      candidates(input([acct('a', { limits: used(0) }), acct('b')], { mode: 'balance', activeAccountId: 'b' })),
    ).toEqual(['b', 'a']);
    expect(candidates(input([acct('a'), acct('b')], { mode: 'balance', activeAccountId: 'b' }))).toEqual(['b', 'a']);
  });

  it('keeps a sticky session where it is while it has capacity, then moves it', () => {
    expect(routeRequest(input(accounts, { mode: 'balance', stickyAccountId: 'a' }))).toEqual({
      kind: 'route',
      candidates: ['a', 'b', 'c'],
      switched: null,
    });
    const full = [acct('a', { limits: used(100, 60) }), ...accounts.slice(1)];
    expect(routeRequest(input(full, { mode: 'balance', stickyAccountId: 'a' }))).toEqual({
      kind: 'route',
      candidates: ['b', 'c'],
      switched: { from: 'a', to: 'b', why: 'a is out of quota until 12:01 (5h limit at 100%)' },
    });
  });
});

describe('routeRequest: drain', () => {
  // a resets in 3 h, b in 1 h (soonest), c's limits are unknown.
  const accounts = [acct('a', { limits: used(20, 3 * 3600) }), acct('b', { limits: used(70, 3600) }), acct('c')];

  it('sends a new session to the account whose binding window resets soonest, unknown resets last', () => {
    expect(routeRequest(input(accounts, { mode: 'drain' }))).toEqual({
      kind: 'route',
      candidates: ['b', 'a', 'c'],
      switched: { from: 'a', to: 'b', why: "b's quota resets sooner" },
    });
  });

  it('binds on the fullest window: a weekly window at 90 % outranks a fresh 5h one', () => {
    const weekly = used(10, 600);
    weekly.buckets[0]!.secondary = { usedPercent: 90, windowMinutes: 10080, resetsAt: S + 4 * 86400 };
    expect(candidates(input([acct('w', { limits: weekly }), ...accounts], { mode: 'drain' }))).toEqual([
      'b',
      'a',
      'w',
      'c',
    ]);
  });

  it('keeps a sticky session where it is, even when another account resets sooner', () => {
    expect(routeRequest(input(accounts, { mode: 'drain', stickyAccountId: 'a' }))).toEqual({
      kind: 'route',
      candidates: ['a', 'b', 'c'],
      switched: null,
    });
  });

  it('moves a session off an account forecast to run out within minutes, before any 429', () => {
    const soon = [
      acct('a', { limits: used(20, 3 * 3600) }),
      acct('b', { limits: used(97, 3600), exhaustsAt: NOW + 3 * 60_000 }),
    ];
    expect(routeRequest(input(soon, { mode: 'drain', stickyAccountId: 'b' }))).toEqual({
      kind: 'route',
      candidates: ['a', 'b'],
      switched: { from: 'b', to: 'a', why: 'b runs out at 12:03 at this pace' },
    });
    // A run-out further ahead changes nothing; nor does one with nowhere else to go.
    const later = [soon[0]!, acct('b', { limits: used(90, 3600), exhaustsAt: NOW + 30 * 60_000 })];
    expect(candidates(input(later, { mode: 'drain', stickyAccountId: 'b' }))).toEqual(['b', 'a']);
    expect(candidates(input([soon[1]!], { mode: 'drain', stickyAccountId: 'b' }))).toEqual(['b']);
  });

  it('skips an exhausted account and still lists every usable one for failover', () => {
    const full = [acct('a', { limits: used(20, 3 * 3600) }), acct('b', { limits: used(100, 600) }), acct('c')];
    expect(candidates(input(full, { mode: 'drain' }))).toEqual(['a', 'c']);
  });
});

describe('routeRequest: pinned', () => {
  it('uses only the pinned account', () => {
    expect(
      routeRequest(input([acct('a'), acct('b', { exhaustedUntil: NOW + 1000 })], { pinnedAccountId: 'b' })),
    ).toEqual({ kind: 'route', candidates: ['b'], switched: null });
  });
});

describe('StickySessions', () => {
  it('remembers a session’s account until it idles out', () => {
    const s = new StickySessions({ ttlMs: 1000, max: 10 });
    s.set('s1', 'a', 0);
    expect(s.get('s1', 1000)).toBe('a');
    expect(s.get('s1', 1001)).toBeNull();
    expect(s.get(null, 0)).toBeNull();
    s.set(null, 'a', 0);
  });

  it('drops the least recently used past its bound and forgets removed accounts', () => {
    const s = new StickySessions({ ttlMs: 10_000, max: 2 });
    s.set('s1', 'a', 0);
    s.set('s2', 'b', 1);
    s.set('s1', 'a', 2);
    s.set('s3', 'c', 3);
    expect([s.get('s1', 4), s.get('s2', 4), s.get('s3', 4)]).toEqual(['a', null, 'c']);
    s.forgetAccount('a');
    expect(s.get('s1', 5)).toBeNull();
  });
});
