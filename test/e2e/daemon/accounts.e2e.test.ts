import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateView } from '../../../src/shared/schemas/api.js';
import { makeHome, ok, okJson, run, type TestHome } from '../../helpers/cli.js';

let h: TestHome;
beforeAll(async () => {
  h = await makeHome();
});
afterAll(async () => {
  await h.cleanup();
});

const list = async () => (await okJson(h, ['status'])).state as StateView;

describe('accounts through the CLI', () => {
  it('50 concurrent `ccbridge add` processes (daemon not running) give 50 accounts, none lost', async () => {
    const names = Array.from({ length: 50 }, (_, i) => `acct-${i}`);
    const results = await Promise.all(names.map((n) => run(h, ['add', n, '--json'], { timeoutMs: 60_000 })));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const state = JSON.parse(readFileSync(join(h.env.CCBRIDGE_HOME!, 'state.json'), 'utf8'));
    expect(state.schemaVersion).toBe(1);
    expect(state.accounts.map((a: { name: string }) => a.name).sort()).toEqual([...names].sort());
    expect(new Set(state.accounts.map((a: { id: string }) => a.id)).size).toBe(50);
    for (const a of state.accounts)
      expect(existsSync(join(h.env.CCBRIDGE_HOME!, 'accounts', a.id, 'codex-home'))).toBe(true);
    await Promise.all(names.map((n) => ok(h, ['rm', n, '--yes'])));
    expect((await list()).accounts).toEqual([]);
  }, 120_000);

  // The control API's semantics behind these commands are tested in-process (accountRoutes.test.ts); here
  // what only the real CLI shows: what it prints, and its exit codes with one `ccbridge:` line.
  it('add prints the account; a taken or invalid name exits 1 or 2', async () => {
    const a = await okJson(h, ['add', 'work', '--model', 'gpt-5.4']);
    expect(a).toMatchObject({ name: 'work', isActive: true, isDefault: true, model: 'gpt-5.4', enabled: true });
    await ok(h, ['add', 'home']);
    const dup = await run(h, ['add', 'WORK']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/^ccbridge: .*already exists/);
    const bad = await run(h, ['add', 'has space']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/name/);
  });

  it('use, disable, enable by name or id; an unknown or disabled account exits 1 saying what to do', async () => {
    const home = (await list()).accounts.find((a) => a.name === 'home')!;
    await ok(h, ['use', home.id]);
    await ok(h, ['use', 'work']);
    const r = await run(h, ['use', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no account "nope" \(accounts: work, home\)/);
    await ok(h, ['disable', 'home']);
    const refused = await run(h, ['use', 'home']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/home is disabled; run `ccbridge enable home`/);
    await ok(h, ['enable', 'home']);
  });

  it('rename, model (shown as JSON), default', async () => {
    await ok(h, ['rename', 'home', 'personal']);
    await ok(h, ['model', 'personal', 'gpt-5.5']);
    expect(await okJson(h, ['model', 'personal'])).toEqual({ account: 'personal', model: 'gpt-5.5' });
    await ok(h, ['model', 'personal', 'default']);
    await ok(h, ['default', 'personal']);
    const s = await list();
    expect(s.accounts.find((a) => a.name === 'personal')).toMatchObject({ model: null, isDefault: true });
  });

  it('rm asks for --yes without a terminal (exit 2), then removes', async () => {
    const refused = await run(h, ['rm', 'work']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    await ok(h, ['rm', 'work', '--yes']);
    expect((await list()).accounts.map((a) => a.name)).toEqual(['personal']);
  });

  it('fast: list shows the effective value; inherit without --account and unknown modes exit 2', async () => {
    await ok(h, ['fast', 'on']);
    await ok(h, ['fast', 'off', '--account', 'personal']);
    expect(await ok(h, ['list'])).toMatch(/personal .*off\n/);
    await ok(h, ['fast', 'inherit', '--account', 'personal']);
    const r = await run(h, ['fast', 'inherit']);
    expect(r.code).toBe(2);
    const bad = await run(h, ['fast', 'maybe']);
    expect(bad.code).toBe(2);
  });

  it('config: list, get, set with validation (exit 2 listing valid keys/values)', async () => {
    expect(await okJson(h, ['config', 'get', 'routing'])).toEqual({ routing: 'failover' });
    await ok(h, ['config', 'set', 'routing', 'manual']);
    expect(await ok(h, ['config', 'get', 'routing'])).toBe('manual\n');
    const badValue = await run(h, ['config', 'set', 'routing', 'sideways']);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toMatch(/manual \| failover \| balance/);
    const badKey = await run(h, ['config', 'set', 'nosuch', '1']);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/valid keys: fastMode, portFallback/);
    await ok(h, ['config', 'set', 'corsOrigin', 'http://localhost:3000']);
    await ok(h, ['config', 'set', 'corsOrigin', 'null']);
    const all = await okJson(h, ['config']);
    expect(all).toMatchObject({ corsOrigin: null, routing: 'manual', portFallback: false, transport: 'auto' });
  });

  it('token prints the 43-char token; --rotate prints a new one', async () => {
    const t1 = (await okJson(h, ['token'])).token;
    expect(t1).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const t2 = (await okJson(h, ['token', '--rotate'])).token;
    expect(t2).not.toBe(t1);
  });
});
