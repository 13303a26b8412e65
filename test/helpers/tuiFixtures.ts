import type { AccountView, StateView } from '../../src/shared/schemas/api.js';
import { NOT_CONNECTED } from '../../src/shared/schemas/auth.js';
import type { CcbEvent } from '../../src/shared/schemas/events.js';
import { SettingsSchema } from '../../src/shared/schemas/settings.js';

/** Fixed state for TUI tests: the clock is pinned to NOW, so countdowns and ages are stable. */
export const NOW = Date.parse('2026-03-01T12:00:00Z');
const sec = (ms: number) => Math.floor((NOW + ms) / 1000);
const H = 3_600_000;
const M = 60_000;

const connected = (email: string, planType: string): AccountView['auth'] => ({
  state: 'connected',
  email,
  planType,
  chatgptAccountId: 'acct-1',
  accessTokenExpiresAt: new Date(NOW + 5 * H).toISOString(),
  lastRefresh: new Date(NOW - H).toISOString(),
});

const OK = { state: 'ok' as const, until: null, reason: null };

export function account(overrides: Partial<AccountView> & Pick<AccountView, 'id' | 'name'>): AccountView {
  return {
    enabled: true,
    model: null,
    fastMode: null,
    createdAt: new Date(NOW - 24 * H).toISOString(),
    needsLogin: false,
    isActive: false,
    isDefault: false,
    effectiveFastMode: false,
    fastModeSource: 'global',
    auth: NOT_CONNECTED,
    limits: null,
    health: OK,
    ...overrides,
  };
}

export const work = account({
  id: 'wrk1',
  name: 'work',
  isActive: true,
  isDefault: true,
  model: 'gpt-5.5',
  auth: connected('work@example.com', 'pro'),
  limits: {
    source: 'headers',
    fetchedAt: new Date(NOW - 65_000).toISOString(),
    planType: 'pro',
    activeLimit: 'codex',
    error: null,
    stale: false,
    staleReason: null,
    buckets: [
      {
        limitId: 'codex',
        limitName: null,
        primary: { usedPercent: 42, windowMinutes: 300, resetsAt: sec(2 * H + 5 * M + 9_000) },
        secondary: { usedPercent: 12, windowMinutes: 10_080, resetsAt: sec(4 * 24 * H + 3 * H) },
        credits: { hasCredits: true, unlimited: false, balance: '9.99' },
        reachedType: null,
      },
    ],
  },
});

export const personal = account({
  id: 'prs2',
  name: 'personal',
  fastMode: 'on',
  effectiveFastMode: true,
  fastModeSource: 'account',
  auth: connected('me@example.org', 'plus'),
  health: { state: 'exhausted', until: new Date(NOW + 13 * M).toISOString(), reason: 'usage limit reached' },
  limits: {
    source: 'app-server',
    fetchedAt: new Date(NOW - 20 * M).toISOString(),
    planType: 'plus',
    activeLimit: 'codex',
    error: null,
    stale: true,
    staleReason: 'no request for 20m',
    buckets: [
      {
        limitId: 'codex',
        limitName: null,
        primary: { usedPercent: 100, windowMinutes: 300, resetsAt: sec(13 * M + 5_000) },
        secondary: { usedPercent: 71, windowMinutes: 10_080, resetsAt: sec(2 * 24 * H) },
        credits: null,
        reachedType: 'rate_limit_reached',
      },
    ],
  },
});

export const spare = account({ id: 'spr3', name: 'spare', enabled: false });

export function makeView(overrides: Partial<StateView> = {}): StateView {
  return {
    version: '0.1.0',
    pid: 4242,
    startedAt: new Date(NOW - H).toISOString(),
    dataDir: '/tmp/ccb/data',
    socketPath: '/tmp/ccb/s.sock',
    bridge: { host: '127.0.0.1', port: 9000, url: 'http://127.0.0.1:9000', baseUrl: 'http://127.0.0.1:9000/anthropic' },
    settings: SettingsSchema.parse({}),
    activeAccountId: 'wrk1',
    defaultAccountId: 'wrk1',
    routeAccountId: 'wrk1',
    accounts: [work, personal, spare],
    loginSessions: [],
    stats: { day: '2026-03-01', requests: 12, errors: 0, inputTokens: 34_567, outputTokens: 1_234 },
    traffic: { inflight: [], inflightCount: 0, lastMinute: { requests: 3, inputTokens: 9_000, outputTokens: 400 } },
    ...overrides,
  };
}

export function event(id: number, overrides: Partial<CcbEvent> = {}): CcbEvent {
  return {
    id,
    time: new Date(NOW - (100 - id) * 1000).toISOString(),
    level: 'info',
    category: 'account',
    message: `event number ${id}`,
    accountId: null,
    ...overrides,
  };
}

export const sampleEvents: CcbEvent[] = [
  event(1, { category: 'system', message: 'daemon 0.1.0 started (pid 4242)' }),
  event(2, { category: 'account', message: 'account work added' }),
  event(3, { category: 'proxy', message: 'POST /v1/messages → work 200 in 1.2s' }),
  event(4, { category: 'limits', level: 'warn', message: 'personal: 5h limit at 100%, switching to work' }),
  event(5, { category: 'proxy', level: 'error', message: 'upstream 502 from chatgpt.com' }),
];
