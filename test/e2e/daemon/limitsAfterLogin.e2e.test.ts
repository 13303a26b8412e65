import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CODEX } from '../../helpers/codexTestKit.js';
import { makeHome, ok, okJson, type TestHome } from '../../helpers/cli.js';

let h: TestHome;
beforeAll(async () => {
  // A long idle interval: only the login itself can trigger the read this test waits for.
  h = await makeHome({ CCBRIDGE_CODEX_BIN: FAKE_CODEX, BROWSER: 'true', CCBRIDGE_LIMITS_IDLE_MS: '3600000' });
  await ok(h, ['add', 'work']);
});
afterAll(() => h.cleanup());

describe('limits after a login', () => {
  it('are read as soon as `connect` succeeds', async () => {
    const before = await okJson(h, ['limits', 'work']);
    expect(before.accounts[0].buckets ?? []).toEqual([]);
    await ok(h, ['connect', 'work', '--no-browser'], { timeoutMs: 30_000 });
    const deadline = Date.now() + 5000;
    let account: { source?: string; stale?: boolean; buckets?: unknown[] } = {};
    while (Date.now() < deadline) {
      account = (await okJson(h, ['limits', 'work'])).accounts[0];
      if (account.buckets?.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(account).toMatchObject({ source: 'app-server', stale: false });
    expect(account.buckets!.length).toBeGreaterThan(0);
  });
});
