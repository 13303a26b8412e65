import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RateLimitsReadResult } from '../../../src/codex/appServerProtocol.js';
import { LimitsKeeper, type LimitsKeeperOptions } from '../../../src/daemon/control/limitsKeeper.js';
import type { EventInput } from '../../../src/shared/schemas/events.js';

const T0 = Date.parse('2025-01-01T12:00:00Z');

const readResult = (used: number): RateLimitsReadResult => ({
  rateLimits: {
    limitId: 'codex',
    primary: { usedPercent: used, windowDurationMins: 300, resetsAt: T0 / 1000 + 3600 },
    secondary: null,
    credits: null,
    planType: 'pro',
  },
  rateLimitsByLimitId: {
    codex: {
      limitId: 'codex',
      primary: { usedPercent: used, windowDurationMins: 300, resetsAt: T0 / 1000 + 3600 },
      secondary: null,
      credits: null,
      planType: 'pro',
    },
  },
});

describe('LimitsKeeper', () => {
  let dir: string;
  let now: number;
  let events: EventInput[];
  let attached: boolean;
  let changes: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ccb-limits-'));
    now = T0;
    events = [];
    attached = false;
    changes = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  const make = (read: LimitsKeeperOptions['read'], over: Partial<LimitsKeeperOptions> = {}) =>
    new LimitsKeeper({
      file: join(dir, 'limits.json'),
      read,
      readableAccounts: () => ['a1'],
      attached: () => attached,
      nameOf: (id) => `name-${id}`,
      log: (e) => events.push(e),
      changed: () => changes++,
      now: () => now,
      ...over,
    });

  it('a corrupt limits.json is kept aside, said in an event, and replaced by fresh reads', async () => {
    for (const bad of ['{"version":1,"accounts":', '{"version":1,"accounts":{"a1":42},"exhausted":{}}']) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      events = [];
      writeFileSync(join(dir, 'limits.json'), bad);
      const k = make(async () => readResult(7));
      expect(k.get('a1')).toBeNull();
      const aside = readdirSync(dir).filter((f) => f.startsWith('limits.json.corrupt-'));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(bad);
      expect(events).toEqual([
        expect.objectContaining({
          level: 'warn',
          message: expect.stringContaining(`kept it as ${join(dir, aside[0]!)}`),
        }),
      ]);
      await k.refresh('a1');
      k.stop();
    }
  });

  it('merges response headers passively and ignores responses without limits', () => {
    const k = make(async () => readResult(1));
    k.onHeaders('a1', { 'content-type': 'text/event-stream' });
    expect(k.get('a1')).toBeNull();
    k.onHeaders('a1', new Headers({ 'x-codex-primary-used-percent': '12', 'x-codex-primary-window-minutes': '300' }));
    expect(k.view('a1')).toMatchObject({
      source: 'headers',
      stale: false,
      buckets: [{ primary: { usedPercent: 12 } }],
    });
    expect(changes).toBe(1);
  });

  it('an active read replaces the buckets; a sparse update merges into it', async () => {
    const k = make(async () => readResult(42));
    await k.refresh('a1');
    expect(k.view('a1')).toMatchObject({
      source: 'app-server',
      planType: 'pro',
      buckets: [{ primary: { usedPercent: 42, windowMinutes: 300 } }],
    });
    k.onUpdated('a1', { limitId: 'codex', primary: { usedPercent: 43 } });
    expect(k.get('a1')!.buckets[0]!.primary).toEqual({
      usedPercent: 43,
      windowMinutes: 300,
      resetsAt: T0 / 1000 + 3600,
    });
  });

  it('a failed read keeps the last numbers, marks them stale and logs a limits event', async () => {
    let fail = false;
    const k = make(async () => {
      if (fail) throw new Error('app-server exited');
      return readResult(42);
    });
    await k.refresh('a1');
    fail = true;
    await k.refresh('a1');
    expect(k.view('a1')).toMatchObject({
      stale: true,
      staleReason: 'last read failed: app-server exited',
      buckets: [{ primary: { usedPercent: 42 } }],
    });
    expect(events).toEqual([
      expect.objectContaining({
        category: 'limits',
        level: 'warn',
        accountId: 'a1',
        message: expect.stringContaining('name-a1'),
      }),
    ]);
  });

  it('runs one read at a time per account', async () => {
    let calls = 0;
    let release: () => void = () => {};
    const k = make(() => {
      calls++;
      return new Promise((resolve) => (release = () => resolve(readResult(5))));
    });
    const a = k.refresh('a1');
    const b = k.refresh('a1');
    release();
    await Promise.all([a, b]);
    expect(calls).toBe(1);
  });

  it('persists snapshots 0600 and loads them back marked persisted (stale)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const k = make(async () => readResult(42));
    await k.refresh('a1');
    k.stop(); // flushes the pending write
    const file = join(dir, 'limits.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      version: 1,
      accounts: { a1: { source: 'app-server' } },
    });
    const again = make(async () => readResult(1));
    expect(again.view('a1')).toMatchObject({
      source: 'persisted',
      stale: true,
      staleReason: 'saved before the daemon restarted',
      buckets: [{ primary: { usedPercent: 42 } }],
    });
  });

  it('keeps a usage-limit mark across a restart until its reset, and drops it once the account served', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const k = make(async () => readResult(1));
    k.markExhausted('a1', { until: T0 + 3600_000, reason: 'usage limit reached' });
    k.markExhausted('a2', { until: T0 + 60_000, reason: 'usage limit reached' });
    expect(k.exhaustion('a1')).toEqual({ until: T0 + 3600_000, reason: 'usage limit reached' });
    k.stop();
    const file = join(dir, 'limits.json');
    expect(JSON.parse(readFileSync(file, 'utf8')).exhausted).toEqual({
      a1: { until: T0 + 3600_000, reason: 'usage limit reached' },
      a2: { until: T0 + 60_000, reason: 'usage limit reached' },
    });

    now = T0 + 120_000; // a2's reset passed while the daemon was down
    const again = make(async () => readResult(1));
    expect(again.exhaustion('a1')).toMatchObject({ until: T0 + 3600_000 });
    expect(again.exhaustion('a2')).toBeNull();
    expect(again.clearExhausted('a1')).toBe(true);
    expect(again.clearExhausted('a1')).toBe(false);
    again.stop();
    expect(JSON.parse(readFileSync(file, 'utf8')).exhausted).toEqual({});
    now = T0 + 7200_000; // and a mark is over by itself at its reset
    const third = make(async () => readResult(1));
    third.markExhausted('a1', { until: T0 + 7200_000 + 1000, reason: 'usage limit reached' });
    now += 1000;
    expect(third.exhaustion('a1')).toBeNull();
  });

  it('reads a file written before usage-limit marks were kept', () => {
    writeFileSync(join(dir, 'limits.json'), JSON.stringify({ version: 1, accounts: {} }));
    expect(make(async () => readResult(1)).exhaustion('a1')).toBeNull();
  });

  it('ignores a corrupt file', () => {
    writeFileSync(join(dir, 'limits.json'), '{not json');
    expect(make(async () => readResult(1)).get('a1')).toBeNull();
  });

  it('reads every readable account at start, then every 30 min, or every 5 min while attached', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const reads: string[] = [];
    const k = make(
      async (id) => {
        reads.push(id);
        return readResult(1);
      },
      { readableAccounts: () => ['a1', 'a2'], tickMs: 60_000 },
    );
    k.start();
    await vi.waitFor(() => expect(reads).toEqual(['a1', 'a2']));
    const advance = async (ms: number) => {
      now += ms;
      await vi.advanceTimersByTimeAsync(ms);
    };
    await advance(5 * 60_000);
    expect(reads).toHaveLength(2);
    attached = true;
    await advance(60_000);
    expect(reads).toEqual(['a1', 'a2', 'a1', 'a2']);
    attached = false;
    await advance(29 * 60_000);
    expect(reads).toHaveLength(4);
    await advance(60_000);
    expect(reads).toHaveLength(6);
    k.stop();
  });
  it('forecasts exhaustion from a rising series of headers and reads, and not from a flat one', async () => {
    const k = make(async () => readResult(30));
    const headers = (used: number) =>
      new Headers({
        'x-codex-primary-used-percent': String(used),
        'x-codex-primary-window-minutes': '300',
        'x-codex-primary-reset-at': String(T0 / 1000 + 4 * 3600),
      });
    await k.refresh('a1'); // an active read is a sample too
    for (let i = 1; i <= 5; i++) {
      now += 60_000;
      k.onHeaders('a1', headers(30 + 2 * i));
    }
    // 30 → 40 % in 5 minutes: 2 %/min, 60 % to go = 30 more minutes.
    expect(k.forecasts('a1')).toEqual([{ limitId: 'codex', slot: 'primary', exhaustsAt: now + 30 * 60_000 }]);
    expect(k.view('a1')?.forecasts).toHaveLength(1);

    const flat = make(async () => readResult(30), { file: join(dir, 'flat.json') });
    for (let i = 0; i < 8; i++) {
      now += 60_000;
      flat.onHeaders('a1', headers(50));
    }
    expect(flat.forecasts('a1')).toEqual([]);
    k.stop();
    flat.stop();
  });
});
