import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateView } from '../../src/shared/schemas/api.js';
import { makeHome, ok, okJson, run, type TestHome } from '../helpers/cli.js';

let h: TestHome;
beforeAll(async () => {
  h = await makeHome();
});
afterAll(async () => {
  await h.cleanup();
});

const list = async () => (await okJson(h, ['status'])).state as StateView;
const byName = async (name: string) => (await list()).accounts.find((a) => a.name === name)!;

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

  it('first account becomes active and default; later ones do not steal the route', async () => {
    const a = await okJson(h, ['add', 'work', '--model', 'gpt-5.4']);
    expect(a).toMatchObject({ name: 'work', isActive: true, isDefault: true, model: 'gpt-5.4', enabled: true });
    const b = await okJson(h, ['add', 'home']);
    expect(b).toMatchObject({ isActive: false, isDefault: false });
  });

  it('names are unique (case-insensitive) and validated', async () => {
    const dup = await run(h, ['add', 'WORK']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    const bad = await run(h, ['add', 'has space']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/name/);
  });

  it('addresses accounts by id or name; unknown accounts give a clear error', async () => {
    const home = await byName('home');
    await ok(h, ['use', home.id]);
    expect((await list()).activeAccountId).toBe(home.id);
    await ok(h, ['use', 'work']);
    const r = await run(h, ['use', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no account "nope" \(accounts: work, home\)/);
  });

  it('disabling the active account moves the route to the default; use on a disabled account is refused', async () => {
    await ok(h, ['use', 'home']);
    await ok(h, ['disable', 'home']);
    const s = await list();
    expect(s.activeAccountId).toBe((await byName('work')).id);
    const r = await run(h, ['use', 'home']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/home is disabled; run `ccbridge enable home`/);
    const events = readFileSync(join(h.env.CCBRIDGE_HOME!, 'events.jsonl'), 'utf8');
    expect(events).toMatch(/active account home was disabled; routing moved to work/);
    await ok(h, ['enable', 'home']);
  });

  it('rename, model, default', async () => {
    await ok(h, ['rename', 'home', 'personal']);
    expect(await byName('personal')).toBeTruthy();
    await ok(h, ['model', 'personal', 'gpt-5.5']);
    expect(await okJson(h, ['model', 'personal'])).toEqual({ account: 'personal', model: 'gpt-5.5' });
    await ok(h, ['model', 'personal', 'default']);
    expect((await byName('personal')).model).toBeNull();
    await ok(h, ['default', 'personal']);
    expect((await byName('personal')).isDefault).toBe(true);
  });

  it('removing the active account moves the route to the default and deletes its home', async () => {
    const work = await byName('work');
    await ok(h, ['use', 'work']);
    const home = join(h.env.CCBRIDGE_HOME!, 'accounts', work.id);
    expect(existsSync(home)).toBe(true);
    const refused = await run(h, ['rm', 'work']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    await ok(h, ['rm', 'work', '--yes']);
    expect(existsSync(home)).toBe(false);
    const s = await list();
    expect(s.activeAccountId).toBe((await byName('personal')).id);
  });

  it('fast mode: global, per-account override, inherit; list shows the effective value and its source', async () => {
    await ok(h, ['fast', 'on']);
    let p = await byName('personal');
    expect(p).toMatchObject({ effectiveFastMode: true, fastModeSource: 'global', fastMode: null });
    await ok(h, ['fast', 'off', '--account', 'personal']);
    p = await byName('personal');
    expect(p).toMatchObject({ effectiveFastMode: false, fastModeSource: 'account', fastMode: 'off' });
    expect(await ok(h, ['list'])).toMatch(/personal .*off\n/);
    await ok(h, ['fast', 'inherit', '--account', 'personal']);
    expect(await byName('personal')).toMatchObject({ effectiveFastMode: true, fastModeSource: 'global' });
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

  it('token: stable until rotated; 43 chars base64url', async () => {
    const t1 = (await okJson(h, ['token'])).token;
    expect(t1).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await okJson(h, ['token'])).token).toBe(t1);
    const t2 = (await okJson(h, ['token', '--rotate'])).token;
    expect(t2).not.toBe(t1);
    const events = readFileSync(join(h.env.CCBRIDGE_HOME!, 'events.jsonl'), 'utf8');
    expect(events).not.toContain(t1);
    expect(events).not.toContain(t2);
  });

  it('events over the control socket', async () => {
    const res = await fetchEvents();
    expect(res.events.length).toBeGreaterThan(3);
    expect(res.events.at(-1)).toMatchObject({
      id: expect.any(Number),
      time: expect.any(String),
      level: expect.any(String),
      category: expect.any(String),
    });
  });
});

async function fetchEvents(): Promise<{ events: any[] }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: h.env.CCBRIDGE_SOCKET, path: '/api/events?limit=5' }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
    req.end();
  });
}
