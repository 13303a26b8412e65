import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAccount } from '../../../src/core/accounts.js';
import { EventLog } from '../../../src/core/eventLog.js';
import { StateStore } from '../../../src/core/stateStore.js';
import { startRouting, type RoutingService } from '../../../src/daemon/bridge/routingService.js';
import { AUTH_READ_MAX_AGE_MS } from '../../../src/codex/authFile.js';
import { LimitsKeeper } from '../../../src/daemon/control/limitsKeeper.js';
import { Daemon } from '../../../src/daemon/daemon.js';
import { resolvePaths } from '../../../src/shared/paths.js';
import type { Settings } from '../../../src/shared/schemas/settings.js';
import type { UpstreamFailure } from '../../../src/translate/upstreamErrors.js';
import { AnthropicApiError } from '../../../src/translate/anthropicError.js';

// 14.13: with 500 accounts every request made the router visit every account (its login, limits, forecasts and
// marks). The router's inputs are now gathered once and kept until one of them changes, so a request costs the
// same whatever the number of accounts. Counted here: how often an account's login is asked for.

const ACCOUNTS = 500;
let dir: string;
let daemon: Daemon;
let routing: RoutingService;
let clock: number;
let authAsks: number;
let limits: LimitsKeeper;

function start(mode: Settings['routing']): void {
  dir = mkdtempSync(join(tmpdir(), 'ccb-route-'));
  const paths = resolvePaths({ CCBRIDGE_HOME: join(dir, 'data') });
  daemon = new Daemon(paths, StateStore.open(paths.stateFile), new EventLog(paths.eventsFile), {
    host: '127.0.0.1',
    port: 9,
  });
  daemon.store.update((s) => {
    for (let i = 0; i < ACCOUNTS; i++) addAccount(s, { name: `a${i}` });
    s.settings.routing = mode;
  });
  limits = new LimitsKeeper({
    file: join(dir, 'limits.json'),
    read: () => Promise.reject(new Error('no reads here')),
    readableAccounts: () => [],
    attached: () => false,
    nameOf: (id) => id,
    log: () => {},
    changed: () => {},
    now: () => clock,
  });
  clock = Date.parse('2026-12-04T12:00:00Z');
  authAsks = 0;
  routing = startRouting(
    daemon,
    limits,
    {
      routingAuth: () => {
        authAsks++;
        return 'connected';
      },
      markNeedsLogin: () => {},
    },
    () => clock,
  );
}

afterEach(() => {
  daemon.events.flush();
  rmSync(dir, { recursive: true, force: true });
});

const ids = () => daemon.store.get().accounts.map((a) => a.id);
const first = (sessionKey: string | null = null) => {
  const r = routing.route({ sessionKey, pinnedAccount: null });
  if (r.kind !== 'route') throw new Error(r.error.message);
  return r.candidates[0]!.accountId;
};
const overloaded: UpstreamFailure = { kind: 'overloaded', error: new AnthropicApiError('overloaded_error', 'busy') };

describe(`routing with ${ACCOUNTS} accounts`, () => {
  beforeEach(() => start('failover'));

  it('visits every account once for a thousand requests, not once per request', () => {
    for (let i = 0; i < 1000; i++) expect(first(i % 3 ? `session-${i % 50}` : null)).toBe(ids()[0]);
    expect(authAsks).toBe(ACCOUNTS);
  });

  it('sees a health mark, a state change and a limits change at once, each for one more visit', () => {
    const [a0, a1, a2] = ids();
    expect(first()).toBe(a0);
    routing.onAttemptFailed(a0!, overloaded, a1!);
    expect(first()).toBe(a1);
    expect(authAsks).toBe(2 * ACCOUNTS);
    daemon.store.update((s) => {
      s.accounts.find((a) => a.id === a1)!.enabled = false;
    });
    expect(first()).toBe(a2);
    expect(authAsks).toBe(3 * ACCOUNTS);
    limits.markExhausted(a2!, { until: clock + 3_600_000, reason: 'usage limit reached' });
    expect(first()).toBe(ids()[3]);
    expect(authAsks).toBe(4 * ACCOUNTS);
    // The cool-down ends by the clock alone: the next request sees it, without anything else changing.
    clock += 61_000;
    expect(first()).toBe(a0);
  });

  it('looks at logins again after AUTH_READ_MAX_AGE_MS, and not before', () => {
    first();
    clock += AUTH_READ_MAX_AGE_MS - 1;
    first();
    expect(authAsks).toBe(ACCOUNTS);
    clock += 1;
    first();
    expect(authAsks).toBe(2 * ACCOUNTS);
  });
});

describe('sticky sessions through the kept decisions', () => {
  beforeEach(() => start('balance'));

  it('a session stays on the account that served it; others go where balance sends them', () => {
    const chosen = first('s1');
    const other = ids().find((id) => id !== chosen)!;
    routing.onCommitted(other, 's2');
    for (let i = 0; i < 100; i++) {
      expect(first('s2')).toBe(other);
      expect(first('s3')).toBe(chosen);
    }
    expect(authAsks).toBe(ACCOUNTS);
  });
});
