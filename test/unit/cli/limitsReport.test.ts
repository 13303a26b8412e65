import { describe, expect, it } from 'vitest';
import { buildLimitsReport, formatLimitsReport } from '../../../src/cli/limitsReport.js';
import type { AccountView, StateView } from '../../../src/shared/schemas/api.js';
import { formatResetTime, formatWindowName } from '../../../src/shared/format.js';

const NOW = Date.parse('2025-01-01T12:00:00Z'); // a Wednesday; tests run with TZ=UTC
const S = NOW / 1000;

function account(over: Partial<AccountView>): AccountView {
  return {
    id: 'aaaa1111',
    name: 'work',
    enabled: true,
    model: null,
    fastMode: null,
    createdAt: '2025-01-01T00:00:00Z',
    needsLogin: false,
    isActive: false,
    isDefault: false,
    effectiveFastMode: false,
    fastModeSource: 'global',
    auth: {
      state: 'connected',
      email: 'w@example.com',
      planType: 'plus',
      chatgptAccountId: 'c1',
      accessTokenExpiresAt: null,
      lastRefresh: null,
    },
    limits: null,
    health: { state: 'ok', until: null, reason: null },
    ...over,
  };
}

function view(accounts: AccountView[], over: Partial<StateView> = {}): StateView {
  return {
    version: '0.1.0',
    pid: 1,
    startedAt: '2025-01-01T00:00:00Z',
    dataDir: '/d',
    socketPath: '/s',
    bridge: { host: '127.0.0.1', port: 9000, url: 'http://127.0.0.1:9000', baseUrl: 'http://127.0.0.1:9000/anthropic' },
    settings: {
      fastMode: false,
      portFallback: false,
      corsOrigin: null,
      routing: 'failover',
      transport: 'auto',
      autoApplyClaude: true,
      claudeSettingsPath: null,
      opusModel: null,
      sonnetModel: null,
      haikuModel: null,
      subagentModel: null,
    },
    activeAccountId: 'aaaa1111',
    defaultAccountId: 'aaaa1111',
    routeAccountId: 'aaaa1111',
    accounts,
    loginSessions: [],
    stats: { day: '2025-01-01', requests: 0, errors: 0, inputTokens: 0, outputTokens: 0 },
    ...over,
  };
}

const work = account({
  isActive: true,
  limits: {
    source: 'headers',
    fetchedAt: new Date(NOW - 120_000).toISOString(),
    planType: 'pro',
    activeLimit: null,
    error: null,
    stale: false,
    staleReason: null,
    buckets: [
      {
        limitId: 'codex',
        limitName: null,
        primary: { usedPercent: 48, windowMinutes: 300, resetsAt: S + 7380 },
        secondary: { usedPercent: 12.4, windowMinutes: 10080, resetsAt: S + 4 * 86400 + 3 * 3600 },
        credits: { hasCredits: true, unlimited: false, balance: '9.99' },
        reachedType: null,
      },
      {
        limitId: 'codex_other',
        limitName: 'gpt-5.2-codex-sonic-long-name',
        primary: { usedPercent: 0.2, windowMinutes: 60, resetsAt: S + 40 * 86400 },
        secondary: null,
        credits: null,
        reachedType: null,
      },
    ],
  },
});

const home = account({
  id: 'bbbb2222',
  name: 'home',
  auth: { ...work.auth, planType: 'plus' },
  health: { state: 'exhausted', until: new Date(NOW + 1800_000).toISOString(), reason: '5h limit at 100%' },
  limits: {
    source: 'persisted',
    fetchedAt: new Date(NOW - 3 * 3600_000).toISOString(),
    planType: null,
    activeLimit: null,
    error: null,
    stale: true,
    staleReason: 'saved before the daemon restarted',
    buckets: [
      {
        limitId: 'codex',
        limitName: null,
        primary: { usedPercent: 100, windowMinutes: 300, resetsAt: S + 1800 },
        secondary: null,
        credits: null,
        reachedType: 'rate_limit_reached',
      },
    ],
  },
});

const fresh = account({ id: 'cccc3333', name: 'spare', auth: { ...work.auth, planType: null } });
const gone = account({
  id: 'dddd4444',
  name: 'old',
  enabled: false,
  auth: { ...work.auth, state: 'not-connected', planType: null },
});

describe('limits report', () => {
  const state = view([work, home, fresh, gone], { routeAccountId: 'aaaa1111' });

  it('reads at 80 columns', () => {
    const text = formatLimitsReport(buildLimitsReport(state), NOW, 80);
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect('\n' + text + '\n').toMatchInlineSnapshot(`
      "
      routing failover · requests go to work

      work · active · pro · from responses 2m ago
        codex         5h      ████████░░░░░░░░░  48%  resets 14:03 (2h 3m)
                      weekly  ██░░░░░░░░░░░░░░░  12%  resets Sun 15:00 (4d 3h)
        gpt-5.2-cod…  1h      █░░░░░░░░░░░░░░░░  <1%  resets 2025-02-10 12:00 (40d 0h)
        credits       9.99

      home · plus · stale: saved before the daemon restarted
        out of quota until 12:30 (30m 0s): 5h limit at 100%
        codex         5h      █████████████████ 100%  resets 12:30 (30m 0s)

      spare
        no limits known yet; \`ccbridge limits --refresh\` reads them

      old · disabled
        no limits known
      "
    `);
  });

  it('shrinks the bars for narrow terminals and still fits', () => {
    const text = formatLimitsReport(buildLimitsReport(state), NOW, 60);
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(60);
    expect(text).toContain('██████ 100%');
  });

  it('shows a forecast under its window, and --json carries it (null elsewhere)', () => {
    const racing = account({
      ...work,
      limits: { ...work.limits!, forecasts: [{ limitId: 'codex', slot: 'primary', exhaustsAt: NOW + 72 * 60_000 }] },
    });
    const report = buildLimitsReport(view([racing]));
    const [primary, secondary] = report.accounts[0]!.buckets[0]!.windows;
    expect(primary!.forecast).toEqual({ exhaustsAt: new Date(NOW + 72 * 60_000).toISOString() });
    expect(secondary!.forecast).toEqual({ exhaustsAt: null });
    const lines = formatLimitsReport(report, NOW, 80).split('\n');
    const at = lines.findIndex((l) => l.includes('  5h  '));
    expect(lines[at + 1]).toBe('                        at this pace: out at 13:12 (in 1h 12m)');
    expect(lines.filter((l) => l.includes('at this pace'))).toHaveLength(1);
  });

  it('shows banked reset credits when codex reported them, and --json carries the count', () => {
    const banked = account({ ...work, limits: { ...work.limits!, resetCredits: 2 } });
    const report = buildLimitsReport(view([banked, fresh]));
    expect(report.accounts.map((a) => a.resetCredits)).toEqual([2, null]);
    expect(formatLimitsReport(report, NOW, 80)).toContain(
      '\n  banked        2 rate-limit reset credits (ccbridge never spends them)\n',
    );
  });

  it('explains a route that is not the active account', () => {
    const text = formatLimitsReport(
      buildLimitsReport(
        view([work, home], { routeAccountId: 'bbbb2222', routeReason: 'work is out of quota until 14:00' }),
      ),
      NOW,
    );
    expect(text.split('\n')[0]).toBe('routing failover · requests go to home (work is out of quota until 14:00)');
  });

  it('--json carries every bucket and window with ISO reset times and the plan from the id_token as fallback', () => {
    const report = buildLimitsReport(state, new Set(['aaaa1111', 'cccc3333']));
    expect(report.accounts.map((a) => a.name)).toEqual(['work', 'spare']);
    expect(report.accounts[0]).toMatchObject({
      plan: 'pro',
      active: true,
      source: 'headers',
      stale: false,
      credits: { hasCredits: true, unlimited: false, balance: '9.99' },
      buckets: [
        {
          limitId: 'codex',
          windows: [
            {
              slot: 'primary',
              usedPercent: 48,
              windowMinutes: 300,
              window: '5h',
              resetsAt: new Date((S + 7380) * 1000).toISOString(),
            },
            { slot: 'secondary', usedPercent: 12.4, windowMinutes: 10080, window: 'weekly' },
          ],
        },
        { limitId: 'codex_other', limitName: 'gpt-5.2-codex-sonic-long-name' },
      ],
    });
    expect(buildLimitsReport(state).accounts[1]).toMatchObject({
      plan: 'plus',
      health: { state: 'exhausted' },
      staleReason: 'saved before the daemon restarted',
    });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('puts a stale reason too long for the heading on lines of its own, whole', () => {
    const reason =
      'last read failed: codex app-server account/rateLimits/read: failed to fetch codex rate limits: error sending request for url (https://chatgpt.com/backend-api/wham/usage)';
    const failed = account({ limits: { ...work.limits!, stale: true, staleReason: reason } });
    const text = formatLimitsReport(buildLimitsReport(view([failed])), NOW, 80);
    const lines = text.split('\n');
    expect(lines.slice(2, 5)).toEqual([
      'work · pro · stale',
      '  stale: last read failed: codex app-server account/rateLimits/read: failed to',
      '  fetch codex rate limits: error sending request for url',
    ]);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(lines.slice(3).join(' ').replace(/\s+/g, ' ')).toContain(reason);
  });

  it('says so when there are no accounts', () => {
    expect(formatLimitsReport(buildLimitsReport(view([])), NOW)).toContain('ccbridge add');
  });
});

describe('window names and reset times', () => {
  it('names the usual windows in words', () => {
    expect([300, 1440, 10080, 43200, 90, null].map(formatWindowName)).toEqual([
      '5h',
      'daily',
      'weekly',
      'monthly',
      '1h30m',
      '?',
    ]);
  });

  it('shows as much of the date as the distance needs', () => {
    expect(formatResetTime(NOW + 3_600_000, NOW)).toBe('13:00');
    expect(formatResetTime(NOW + 2 * 86_400_000, NOW)).toBe('Fri 12:00');
    expect(formatResetTime(NOW + 9 * 86_400_000, NOW)).toBe('2025-01-10 12:00');
    expect(formatResetTime(NOW - 86_400_000, NOW)).toBe('2024-12-31 12:00');
    expect(formatResetTime(Number.NaN, NOW)).toBe('?');
  });
});
