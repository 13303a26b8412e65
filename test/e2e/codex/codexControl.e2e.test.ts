import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthStatus } from '../../../src/shared/schemas/auth.js';
import { LimitsSnapshotSchema } from '../../../src/shared/schemas/limits.js';
import { limitsFromAppServer } from '../../../src/codex/limitsFromAppServer.js';
import { makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { calls, isAlive, makeControl, makeSandbox, setBehaviour } from '../../helpers/codexTestKit.js';
import { until } from '../../helpers/until.js';

const sandbox = makeSandbox();
const controls: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(controls.splice(0).map((c) => c.close()));
  sandbox.cleanup();
});

function connected(id: string, behaviour: Record<string, unknown> = {}) {
  const home = sandbox.addAccount(id);
  setBehaviour(home, behaviour);
  writeAuthJson(home, makeTokens({ email: `${id}@example.com` }));
  const control = makeControl(sandbox.homeFor);
  controls.push(control);
  return { home, control };
}

describe('CodexControl', () => {
  it('logout signs out through the app-server and the status follows', async () => {
    const { home, control } = connected('out');
    expect(control.authStatus('out').state).toBe('connected');
    await control.logout('out');
    expect(existsSync(join(home, 'auth.json'))).toBe(false);
    expect(control.authStatus('out').state).toBe('not-connected');
    expect(calls(home, 'logout')[0]).toMatchObject({ via: 'app-server' });
  });

  it('logout falls back to `codex logout` on a codex without account/logout', async () => {
    const { home, control } = connected('old', { unsupported: ['account/logout'] });
    await control.logout('old');
    expect(existsSync(join(home, 'auth.json'))).toBe(false);
    expect(calls(home, 'logout')[0]).toMatchObject({ via: 'cli' });
  });

  it('reads rate limits (zod-parsed) and maps them to a limits snapshot', async () => {
    const { control } = connected('rl');
    const res = await control.readRateLimits('rl');
    expect(res.rateLimits.primary).toMatchObject({ usedPercent: 42, windowDurationMins: 300, resetsAt: 1_900_000_000 });
    const snap = LimitsSnapshotSchema.parse(limitsFromAppServer(res, '2026-06-01T00:00:00.000Z'));
    expect(snap).toMatchObject({ source: 'app-server', planType: 'pro' });
    expect(snap.buckets[0]).toEqual({
      limitId: 'codex',
      limitName: null,
      primary: { usedPercent: 42, windowMinutes: 300, resetsAt: 1_900_000_000 },
      secondary: { usedPercent: 7, windowMinutes: 10080, resetsAt: 1_900_100_000 },
      credits: { hasCredits: true, unlimited: false, balance: '9.99' },
      reachedType: null,
    });
  });

  it('passes account/rateLimits/updated on, tagged with the account', async () => {
    const { control } = connected('upd', { rateLimitsUpdated: true });
    const seen: Array<[string, number | undefined]> = [];
    control.onRateLimitsUpdated((id, rl) => seen.push([id, rl.primary?.usedPercent]));
    await control.readRateLimits('upd');
    await until(() => seen.length > 0);
    expect(seen[0]).toEqual(['upd', 43]);
  });

  it('lists models across pages, hidden ones only on request', async () => {
    const { home, control } = connected('m', { modelPageSize: 2 });
    const visible = await control.listModels('m');
    expect(visible.map((m) => m.id)).toEqual(['gpt-5.5', 'gpt-5.4', 'gpt-5.4-mini', 'gpt-5.3-codex']);
    expect(visible[0]).toMatchObject({ isDefault: true, serviceTiers: [{ id: 'priority' }] });
    const all = await control.listModels('m', { includeHidden: true });
    expect(all.map((m) => m.id)).toContain('codex-auto-review');
    expect(calls(home, 'request').filter((c) => c.method === 'model/list').length).toBeGreaterThanOrEqual(5);
  });

  it('kills an app-server that stops answering and starts a fresh one for the next call', async () => {
    const home = sandbox.addAccount('stuck');
    writeAuthJson(home, makeTokens({ email: 'stuck@example.com' }));
    setBehaviour(home, { hang: ['model/list'] });
    const control = makeControl(sandbox.homeFor, { requestTimeoutMs: 300 });
    controls.push(control);
    await expect(control.listModels('stuck')).rejects.toThrow(/did not answer model\/list/);
    const [stuck] = calls(home, 'spawn');
    await until(() => !isAlive(stuck!.pid));
    setBehaviour(home, {});
    expect((await control.listModels('stuck')).length).toBeGreaterThan(0);
    expect(calls(home, 'spawn')).toHaveLength(2);
  });

  it('accountRead returns the account as codex sees it', async () => {
    const { control } = connected('ar');
    await expect(control.accountRead('ar')).resolves.toMatchObject({
      account: { type: 'chatgpt', email: 'ar@example.com' },
    });
  });

  it('watchAuth reports a login written by codex without a restart', async () => {
    const home = sandbox.addAccount('w');
    const control = makeControl(sandbox.homeFor);
    controls.push(control);
    const seen: Array<[string, AuthStatus['state'], AuthStatus['state'] | undefined]> = [];
    const stop = control.watchAuth({
      accounts: () => [{ id: 'w' }],
      onChange: (id, s, prev) => seen.push([id, s.state, prev?.state]),
      intervalMs: 30,
    });
    expect(seen).toEqual([['w', 'not-connected', undefined]]); // first sight
    writeAuthJson(home, makeTokens());
    await until(() => seen.length > 1);
    stop();
    expect(seen[1]).toEqual(['w', 'connected', 'not-connected']);
  });

  it('close() cancels open logins and ends every process', async () => {
    const { home, control } = connected('bye', { login: 'hang' });
    await control.accountRead('bye');
    const s = control.startLogin('bye', 'browser');
    await until(() => control.logins.get(s.id)?.state === 'waiting');
    await control.close();
    expect(control.logins.get(s.id)?.state).toBe('cancelled');
    for (const spawn of calls(home, 'spawn')) expect(() => process.kill(spawn.pid, 0)).toThrow();
  });
});
