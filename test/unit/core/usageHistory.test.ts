import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageHistory } from '../../../src/core/usageHistory.js';

// Tests run with TZ=UTC, so local days are UTC days here.
const DAY = 86_400_000;
const T0 = Date.parse('2025-03-10T12:00:00Z');

describe('UsageHistory', () => {
  let dir: string;
  let now: number;
  const make = (over = {}) => new UsageHistory({ file: join(dir, 'usage.json'), now: () => now, flushMs: 50, ...over });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ccb-usage-'));
    now = T0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds per account and local day, and a new instance reads back what was saved (0600)', async () => {
    const u = make();
    u.record('a1', 'work', { requests: 1, inputTokens: 100, cachedInputTokens: 40, outputTokens: 10 });
    u.record('a1', 'work', { requests: 1, inputTokens: 50, reasoningTokens: 3, errors: 1 });
    u.record('b2', 'home', { failovers: 1 });
    now += DAY;
    u.record('a1', 'work', { requests: 1, inputTokens: 7 });
    await u.flush();
    expect(statSync(join(dir, 'usage.json')).mode & 0o777).toBe(0o600);
    const again = make().report(7);
    expect(again).toEqual(u.report(7));
    expect(again.days.map((d) => d.date)).toEqual(['2025-03-10', '2025-03-11']);
    expect(again.days[0]!.accounts).toEqual([
      {
        id: 'a1',
        name: 'work',
        requests: 2,
        inputTokens: 150,
        cachedInputTokens: 40,
        outputTokens: 10,
        reasoningTokens: 3,
        errors: 1,
        failovers: 0,
      },
      expect.objectContaining({ id: 'b2', name: 'home', failovers: 1, requests: 0 }),
    ]);
    expect(
      make()
        .report(1)
        .days.map((d) => d.date),
    ).toEqual(['2025-03-11']);
    // The state view's "today" is the same history, summed over accounts.
    u.record('b2', 'home', { requests: 2, inputTokens: 3, outputTokens: 4, errors: 1 });
    expect(u.today()).toEqual({ day: '2025-03-11', requests: 3, errors: 1, inputTokens: 10, outputTokens: 4 });
  });

  it('writes on its own timer, batched, and never leaves a temp file behind', async () => {
    const u = make();
    for (let i = 0; i < 100; i++) u.record('a1', 'work', { requests: 1 });
    await new Promise((r) => setTimeout(r, 150));
    expect(JSON.parse(readFileSync(join(dir, 'usage.json'), 'utf8')).days['2025-03-10'].a1.requests).toBe(100);
    expect(readdirSync(dir)).toEqual(['usage.json']);
  });

  it('drops days older than 90 and filters by account; current names win over saved ones', async () => {
    const u = make();
    u.record('a1', 'old-name', { requests: 1 });
    now += 95 * DAY;
    u.record('a1', 'old-name', { requests: 2 });
    u.record('b2', 'home', { requests: 5 });
    await u.flush();
    const saved = JSON.parse(readFileSync(join(dir, 'usage.json'), 'utf8'));
    expect(Object.keys(saved.days)).toEqual(['2025-06-13']);
    const only = make().report(90, new Set(['a1']), (id) => (id === 'a1' ? 'work' : null));
    expect(only.days[0]!.accounts).toEqual([expect.objectContaining({ id: 'a1', name: 'work', requests: 2 })]);
    expect(u.idsFor('OLD-NAME')).toEqual(new Set(['a1']));
  });

  it('moves an unreadable file aside and starts over, saying so', () => {
    writeFileSync(join(dir, 'usage.json'), '{"version":1,"days":{"2025-03-1');
    const errors: string[] = [];
    const u = make({ onError: (m: string) => errors.push(m) });
    expect(u.report(7)).toEqual({ days: [] });
    expect(errors[0]).toMatch(/could not be read.*moved aside/);
    expect(readdirSync(dir).some((f) => f.startsWith('usage.json.unreadable-'))).toBe(true);
  });
});
