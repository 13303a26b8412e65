import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlApi } from '../../../src/client/controlApi.js';
import { inProcessControl } from '../../helpers/controlApp.js';

// The control API's account semantics, in-process through the CLI's own route table. What only a real
// process shows (concurrent CLI processes, exit codes, printed output) is in accounts.e2e.test.ts.
let ctl: ReturnType<typeof inProcessControl>;
beforeAll(() => {
  ctl = inProcessControl();
});
afterAll(() => ctl.cleanup());

const state = () => ctl.call(controlApi.state());
const byName = async (name: string) => (await state()).accounts.find((a) => a.name === name)!;

describe('accounts over the control API', () => {
  it('first account becomes active and default; later ones do not steal the route', async () => {
    const { account: a } = await ctl.call(controlApi.addAccount({ name: 'work', model: 'gpt-5.4' }));
    expect(a).toMatchObject({ name: 'work', isActive: true, isDefault: true, model: 'gpt-5.4', enabled: true });
    expect(existsSync(join(ctl.paths.dataDir, 'accounts', a.id, 'codex-home'))).toBe(true);
    const { account: b } = await ctl.call(controlApi.addAccount({ name: 'home' }));
    expect(b).toMatchObject({ isActive: false, isDefault: false });
  });

  it('names are unique (case-insensitive) and validated', async () => {
    const dup = await ctl.refused(controlApi.addAccount({ name: 'WORK' }));
    expect(dup.exitCode).toBe(1);
    expect(dup.message).toMatch(/already exists/);
    const bad = await ctl.refused(controlApi.addAccount({ name: 'has space' }));
    expect(bad.exitCode).toBe(2);
    expect(bad.message).toMatch(/name/);
  });

  it('addresses accounts by id or name; unknown accounts give a clear error', async () => {
    const home = await byName('home');
    await ctl.call(controlApi.activate(home.id));
    expect((await state()).activeAccountId).toBe(home.id);
    await ctl.call(controlApi.activate('work'));
    const r = await ctl.refused(controlApi.activate('nope'));
    expect(r.exitCode).toBe(1);
    expect(r.message).toMatch(/no account "nope" \(accounts: work, home\)/);
  });

  it('disabling the active account moves the route to the default; use on a disabled account is refused', async () => {
    await ctl.call(controlApi.activate('home'));
    await ctl.call(controlApi.patchAccount('home', { enabled: false }));
    expect((await state()).activeAccountId).toBe((await byName('work')).id);
    const r = await ctl.refused(controlApi.activate('home'));
    expect(r.exitCode).toBe(1);
    expect(r.message).toMatch(/home is disabled; run `ccbridge enable home`/);
    ctl.daemon.events.flush();
    const { events } = await ctl.call(controlApi.events(50));
    expect(events.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/active account home was disabled; routing moved to work/),
    );
    await ctl.call(controlApi.patchAccount('home', { enabled: true }));
  });

  it('rename, model, default', async () => {
    await ctl.call(controlApi.patchAccount('home', { name: 'personal' }));
    expect(await byName('personal')).toBeTruthy();
    await ctl.call(controlApi.patchAccount('personal', { model: 'gpt-5.5' }));
    expect((await byName('personal')).model).toBe('gpt-5.5');
    await ctl.call(controlApi.patchAccount('personal', { model: null }));
    expect((await byName('personal')).model).toBeNull();
    await ctl.call(controlApi.makeDefault('personal'));
    expect((await byName('personal')).isDefault).toBe(true);
  });

  it('removing the active account moves the route to the default and deletes its home', async () => {
    const work = await byName('work');
    await ctl.call(controlApi.activate('work'));
    const home = join(ctl.paths.dataDir, 'accounts', work.id);
    expect(existsSync(home)).toBe(true);
    const { removed } = await ctl.call(controlApi.removeAccount('work'));
    expect(removed).toMatchObject({ id: work.id, name: 'work' });
    expect(existsSync(home)).toBe(false);
    expect((await state()).activeAccountId).toBe((await byName('personal')).id);
  });

  it('fast mode: global, per-account override, inherit', async () => {
    await ctl.call(controlApi.patchSettings({ fastMode: true }));
    expect(await byName('personal')).toMatchObject({
      effectiveFastMode: true,
      fastModeSource: 'global',
      fastMode: null,
    });
    await ctl.call(controlApi.patchAccount('personal', { fastMode: 'off' }));
    expect(await byName('personal')).toMatchObject({
      effectiveFastMode: false,
      fastModeSource: 'account',
      fastMode: 'off',
    });
    await ctl.call(controlApi.patchAccount('personal', { fastMode: null }));
    expect(await byName('personal')).toMatchObject({ effectiveFastMode: true, fastModeSource: 'global' });
  });

  it('settings: set and read back; an unknown key lists the valid ones (exit 2)', async () => {
    expect((await ctl.call(controlApi.settings())).settings.routing).toBe('failover');
    await ctl.call(controlApi.patchSettings({ routing: 'manual' }));
    expect((await ctl.call(controlApi.settings())).settings.routing).toBe('manual');
    const badValue = await ctl.refused(controlApi.patchSettings({ routing: 'sideways' as 'manual' }));
    expect(badValue.exitCode).toBe(2);
    const badKey = await ctl.refused(controlApi.patchSettings({ nosuch: 1 } as never));
    expect(badKey.exitCode).toBe(2);
    expect(badKey.message).toMatch(/valid keys: fastMode, portFallback/);
    await ctl.call(controlApi.patchSettings({ corsOrigin: 'http://localhost:3000' }));
    await ctl.call(controlApi.patchSettings({ corsOrigin: null }));
    expect((await ctl.call(controlApi.settings())).settings).toMatchObject({
      corsOrigin: null,
      routing: 'manual',
      portFallback: false,
      transport: 'auto',
    });
  });

  it('a body that is not JSON, or has a bad field, is a 400 in the control API error shape', async () => {
    const send = async (path: string, method: string, body: string) => {
      const res = await ctl.app.request(path, { method, body, headers: { 'content-type': 'application/json' } });
      return { status: res.status, body: (await res.json()) as { error: { message: string } } };
    };
    expect(await send('/api/accounts', 'POST', '{"name":')).toEqual({
      status: 400,
      body: { error: { code: 'invalid_json', message: 'request body is not valid JSON', exitCode: 2 } },
    });
    const bad = await send('/api/accounts/work', 'PATCH', '{"enabled":"yes"}');
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', exitCode: 2 } } });
    expect(bad.body.error.message).toMatch(/enabled/);
    // An empty body is an empty patch, not an error.
    expect((await send('/api/settings', 'PATCH', '')).status).toBe(200);
  });

  it('token: stable until rotated; 43 chars base64url; never in the event log', async () => {
    const t1 = (await ctl.call(controlApi.token())).token;
    expect(t1).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await ctl.call(controlApi.token())).token).toBe(t1);
    const t2 = (await ctl.call(controlApi.rotateToken())).token;
    expect(t2).not.toBe(t1);
    ctl.daemon.events.flush();
    const events = existsSync(ctl.paths.eventsFile) ? readFileSync(ctl.paths.eventsFile, 'utf8') : '';
    expect(events).not.toContain(t1);
    expect(events).not.toContain(t2);
  });

  it('events: the recent ones, each with id, time, level and category', async () => {
    const { events } = await ctl.call(controlApi.events(5));
    expect(events.length).toBeGreaterThan(3);
    expect(events.at(-1)).toMatchObject({
      id: expect.any(Number),
      time: expect.any(String),
      level: expect.any(String),
      category: expect.any(String),
    });
  });
});
