import { afterEach, describe, expect, it } from 'vitest';
import { AppServerClient, AppServerRpcError } from '../../../src/codex/appServerClient.js';
import { AccountReadResultSchema } from '../../../src/codex/appServerProtocol.js';
import { AppServerPool } from '../../../src/codex/appServerPool.js';
import { codexEnv } from '../../../src/codex/codexEnv.js';
import type { CcbridgeError } from '../../../src/shared/errors.js';
import { makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { calls, FAKE_CODEX, fakeEnv, isAlive, makeSandbox, setBehaviour } from '../../helpers/codexTestKit.js';
import { until } from '../../helpers/until.js';

const sandbox = makeSandbox();
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  sandbox.cleanup();
});

async function client(id: string, behaviour: Record<string, unknown> = {}, requestTimeoutMs?: number) {
  const home = sandbox.addAccount(id);
  setBehaviour(home, behaviour);
  const c = await AppServerClient.start({
    bin: FAKE_CODEX,
    env: codexEnv(home, fakeEnv()),
    requestTimeoutMs,
    label: id,
  });
  open.push(c);
  return { c, home };
}

describe('AppServerClient', () => {
  it('does the initialize/initialized handshake, then answers requests', async () => {
    const { c, home } = await client('a');
    writeAuthJson(home, makeTokens({ email: 'x@example.com' }));
    const res = await c.request('account/read', {}, { schema: AccountReadResultSchema });
    expect(res.account).toMatchObject({ type: 'chatgpt', email: 'x@example.com' });
    expect(calls(home, 'request').map((r) => r.method)).toEqual(['initialize', 'account/read']);
  });

  it('delivers notifications to subscribers', async () => {
    const { c, home } = await client('n', { rateLimitsUpdated: true });
    writeAuthJson(home, makeTokens());
    const seen: unknown[] = [];
    c.onNotification('account/rateLimits/updated', (p) => seen.push(p));
    await c.request('account/rateLimits/read');
    await until(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ rateLimits: { primary: { usedPercent: 43 } } });
  });

  it('turns an error answer into AppServerRpcError and recognises an unknown method', async () => {
    const { c } = await client('e');
    const err = (await c.request('account/doesNotExist').catch((e: unknown) => e)) as AppServerRpcError;
    expect(err).toBeInstanceOf(AppServerRpcError);
    expect(err.isUnknownMethod).toBe(true);
    const auth = (await c.request('account/rateLimits/read').catch((e: unknown) => e)) as AppServerRpcError;
    expect(auth.isUnknownMethod).toBe(false);
    expect(auth.message).toContain('authentication required');
  });

  it('times out one request without hurting the next', async () => {
    const { c } = await client('t', { hang: ['account/read'] }, 300);
    const err = (await c.request('account/read', {}).catch((e: unknown) => e)) as CcbridgeError;
    expect(err.code).toBe('codex_timeout');
    expect(err.message).toContain('account/read');
    await expect(c.request('model/list', {})).resolves.toBeTruthy();
  });

  it('rejects pending requests with a clear error when the process dies', async () => {
    const { c } = await client('x', { crash: 'model/list' });
    const err = (await c.request('model/list', {}).catch((e: unknown) => e)) as CcbridgeError;
    expect(err.code).toBe('codex_exited');
    expect(err.message).toContain('exited with code 3');
    expect(err.message).toContain('crashed on model/list');
    await expect(c.request('account/read', {})).rejects.toThrow(/exited/);
  });

  it('fails start() when codex dies before the handshake', async () => {
    const home = sandbox.addAccount('s');
    setBehaviour(home, { crash: 'startup' });
    await expect(AppServerClient.start({ bin: FAKE_CODEX, env: codexEnv(home, fakeEnv()) })).rejects.toThrow(
      /crashed at start-up/,
    );
  });

  it('close() ends the process', async () => {
    const { c } = await client('c');
    const pid = c.pid!;
    expect(isAlive(pid)).toBe(true);
    await c.close();
    expect(c.closed).toBe(true);
    expect(isAlive(pid)).toBe(false);
  });
});

describe('AppServerPool', () => {
  function pool(idleMs = 60_000) {
    const p = new AppServerPool({ homeFor: sandbox.homeFor, env: fakeEnv(), idleMs });
    open.push({ close: () => p.closeAll() });
    return p;
  }

  it('shares one process per account and separates accounts', async () => {
    sandbox.addAccount('p1');
    sandbox.addAccount('p2');
    const p = pool();
    const pids = await Promise.all([
      p.use('p1', async (c) => c.pid),
      p.use('p1', async (c) => c.pid),
      p.use('p2', async (c) => c.pid),
    ]);
    expect(pids[0]).toBe(pids[1]);
    expect(pids[2]).not.toBe(pids[0]);
    expect(calls(sandbox.homeFor('p1'), 'spawn')).toHaveLength(1);
  });

  it('closes an idle process and starts a new one on next use', async () => {
    sandbox.addAccount('idle');
    const p = pool(150);
    const first = await p.use('idle', async (c) => c.pid!);
    await until(() => !isAlive(first));
    const second = await p.use('idle', async (c) => c.pid!);
    expect(second).not.toBe(first);
  });

  it('replaces a crashed process', async () => {
    const home = sandbox.addAccount('crash');
    const p = pool();
    setBehaviour(home, { crash: 'model/list' });
    await expect(p.use('crash', (c) => c.request('model/list', {}))).rejects.toThrow(/exited/);
    setBehaviour(home, {});
    await expect(p.use('crash', (c) => c.request('model/list', {}))).resolves.toBeTruthy();
    expect(calls(home, 'spawn')).toHaveLength(2);
  });

  it('closeAll() ends every process', async () => {
    sandbox.addAccount('q1');
    sandbox.addAccount('q2');
    const p = pool();
    const pids = [await p.use('q1', async (c) => c.pid!), await p.use('q2', async (c) => c.pid!)];
    await p.closeAll();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  it('runs codex without the auth-overriding variables of the daemon environment', async () => {
    sandbox.addAccount('env');
    const p = new AppServerPool({
      homeFor: sandbox.homeFor,
      env: fakeEnv({ OPENAI_API_KEY: 'sk-leak', CODEX_API_KEY: 'k', CODEX_CA_CERTIFICATE: '/ca.pem' }),
    });
    open.push({ close: () => p.closeAll() });
    await p.use('env', async () => undefined);
    const [spawn] = calls(sandbox.homeFor('env'), 'spawn');
    expect(spawn).toMatchObject({ authOverrides: [], caCertificate: '/ca.pem' });
  });
});
