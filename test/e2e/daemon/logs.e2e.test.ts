import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome, ok, run, spawnCli, type TestHome } from '../../helpers/cli.js';
import { until } from '../../helpers/until.js';

let h: TestHome;
beforeAll(async () => {
  h = await makeHome();
  await ok(h, ['start']);
  await ok(h, ['add', 'first']);
  // daemon.log is written in batches: the line of that `add` lands moments after it returns.
  await until(async () => /account first added/.test(await ok(h, ['logs', '-n', '1'])), 3000, 'the `add` line');
});
afterAll(() => h.cleanup());

describe('ccbridge logs', () => {
  it('prints the last N lines of the daemon log', async () => {
    const all = (await ok(h, ['logs', '-n', '100'])).trim().split('\n');
    expect(all.some((l) => /daemon .* started/.test(l))).toBe(true);
    const last = (await ok(h, ['logs', '-n', '1'])).trim().split('\n');
    expect(last).toEqual([all.at(-1)]);
    expect(last[0]).toMatch(/account first added/);
  });

  it('follows new lines with -f until interrupted', async () => {
    const child = spawnCli(h, ['logs', '-f', '-n', '0']);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    await new Promise((r) => setTimeout(r, 300));
    await ok(h, ['add', 'second']);
    const deadline = Date.now() + 5000;
    while (!out.includes('account second added') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('account second added');
    expect(out).not.toContain('account first added');
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGINT');
    });
    expect(code).toBe(0);
  });

  it('rejects a bad -n with a usage error', async () => {
    const r = await run(h, ['logs', '-n', 'many']);
    expect(r.code).toBe(2);
  });
});

describe('daemon.log while the daemon runs', () => {
  it('rotates past its size bound, and `logs` keeps showing the newest lines', async () => {
    const limit = 1000;
    const home = await makeHome({ CCBRIDGE_LOG_MAX_BYTES: String(limit) });
    try {
      await ok(home, ['start']);
      for (let i = 0; i < 15; i++) await ok(home, ['add', `rotated-account-${i}`]);
      const log = join(home.env.CCBRIDGE_HOME!, 'run', 'daemon.log');
      expect(existsSync(`${log}.1`)).toBe(true);
      expect(statSync(log).size).toBeLessThanOrEqual(limit);
      expect(readFileSync(`${log}.1`, 'utf8')).toMatch(/account rotated-account-\d+ added/);
      // daemon.log is written in batches off the hot path: the newest line lands within moments, not before `add` returns.
      await until(
        async () => /account rotated-account-14 added/.test(await ok(home, ['logs', '-n', '1'])),
        3000,
        'the newest line in `logs -n 1`',
      );
    } finally {
      await home.cleanup();
    }
  });
});
