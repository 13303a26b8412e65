import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoginSession } from '../../../src/shared/schemas/auth.js';
import { LoginSessionSchema } from '../../../src/shared/schemas/auth.js';
import { calls, isAlive, makeControl, makeSandbox, setBehaviour } from '../../helpers/codexTestKit.js';
import { until } from '../../helpers/until.js';

const sandbox = makeSandbox();
const controls: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(controls.splice(0).map((c) => c.close()));
  sandbox.cleanup();
});

function setup(behaviours: Record<string, Record<string, unknown>>, loginTimeoutMs?: number) {
  for (const [id, b] of Object.entries(behaviours)) setBehaviour(sandbox.addAccount(id), b);
  const changes: LoginSession[] = [];
  const succeeded: string[] = [];
  const control = makeControl(sandbox.homeFor, {
    loginTimeoutMs,
    onLoginSession: (s) => changes.push(s),
    onLoginSucceeded: (id) => void succeeded.push(id),
  });
  controls.push(control);
  const states = (id: string) => changes.filter((s) => s.id === id).map((s) => s.state);
  return { control, changes, succeeded, states };
}

const loginPids = (id: string) => calls(sandbox.homeFor(id), 'login-start').map((c) => c.pid);

describe('login sessions', () => {
  it('browser login: starting → waiting (auth URL) → succeeded; auth.json 0600 and home 0700', async () => {
    const { control, states, succeeded, changes } = setup({ a: { loginDelayMs: 300 } });
    chmodSync(sandbox.homeFor('a'), 0o755); // created loosely by hand: ccbridge tightens it
    const s = control.startLogin('a', 'browser');
    expect(s.state).toBe('starting');
    await until(() => control.logins.get(s.id)?.state === 'waiting');
    const waiting = control.logins.get(s.id)!;
    expect(waiting.authUrl).toMatch(/^https:\/\/auth\.openai\.com\/oauth\/authorize\?/);
    const done = await control.logins.waitForEnd(s.id);
    expect(done).toMatchObject({ state: 'succeeded', error: null });
    expect(done.finishedAt).not.toBeNull();
    expect(states(s.id)).toEqual(['starting', 'waiting', 'succeeded']);
    expect(succeeded).toEqual(['a']);
    expect(statSync(join(sandbox.homeFor('a'), 'auth.json')).mode & 0o777).toBe(0o600);
    expect(statSync(sandbox.homeFor('a')).mode & 0o777).toBe(0o700);
    expect(control.authStatus('a')).toMatchObject({ state: 'connected', email: 'user@example.com', planType: 'pro' });
    for (const c of changes) LoginSessionSchema.parse(c);
    for (const pid of loginPids('a')) expect(isAlive(pid)).toBe(false);
  });

  it('device-code login shows the verification URL and user code', async () => {
    const { control } = setup({ d: {} });
    const s = control.startLogin('d', 'device');
    await until(() => control.logins.get(s.id)?.state !== 'starting');
    const seen = control.logins.get(s.id)!;
    if (seen.state === 'waiting') {
      expect(seen).toMatchObject({
        verificationUrl: 'https://auth.openai.com/codex/device',
        userCode: 'FAKE-CODE1',
        authUrl: null,
      });
    }
    const done = await control.logins.waitForEnd(s.id);
    expect(done).toMatchObject({
      state: 'succeeded',
      kind: 'device',
      verificationUrl: 'https://auth.openai.com/codex/device',
      userCode: 'FAKE-CODE1',
    });
    expect(calls(sandbox.homeFor('d'), 'login-start')[0]).toMatchObject({
      via: 'app-server',
      type: 'chatgptDeviceCode',
    });
  });

  it('a failed login ends failed with codex’s reason', async () => {
    const { control } = setup({ f: { login: 'fail', loginError: 'access denied by user' } });
    const s = control.startLogin('f', 'browser');
    const done = await control.logins.waitForEnd(s.id);
    expect(done).toMatchObject({ state: 'failed', error: 'access denied by user' });
    expect(control.authStatus('f').state).toBe('not-connected');
  });

  it('codex giving up on the login itself (its 10-minute limit) ends timed_out, not failed', async () => {
    const { control } = setup({ g: { login: 'fail', loginError: 'Login timed out' } });
    const done = await control.logins.waitForEnd(control.startLogin('g', 'browser').id);
    expect(done).toMatchObject({
      state: 'timed_out',
      error: expect.stringMatching(/^No login was completed within 10 minutes/),
    });
  });

  it('cancel: session cancelled, codex told and its process gone', async () => {
    const { control } = setup({ c: { login: 'hang' } });
    const s = control.startLogin('c', 'browser');
    await until(() => control.logins.get(s.id)?.state === 'waiting');
    const [pid] = loginPids('c');
    expect(isAlive(pid!)).toBe(true);
    const cancelled = await control.logins.cancel(s.id);
    expect(cancelled.state).toBe('cancelled');
    expect(isAlive(pid!)).toBe(false);
    expect(calls(sandbox.homeFor('c'), 'login-cancel')).toHaveLength(1);
  });

  it('times out, and the process is gone', async () => {
    const { control } = setup({ t: { login: 'hang' } }, 600);
    const s = control.startLogin('t', 'device');
    const done = await control.logins.waitForEnd(s.id);
    expect(done.state).toBe('timed_out');
    expect(done.error).toMatch(/No login was completed/);
    const [pid] = loginPids('t');
    expect(isAlive(pid!)).toBe(false);
  });

  it('two accounts connecting at once are serialized: the second waits in `starting`', async () => {
    const { control } = setup({ one: { loginDelayMs: 400 }, two: { loginDelayMs: 50 } });
    const first = control.startLogin('one', 'browser');
    const second = control.startLogin('two', 'browser');
    await until(() => control.logins.get(first.id)?.state === 'waiting');
    expect(control.logins.get(second.id)?.state).toBe('starting');
    const [a, b] = await Promise.all([control.logins.waitForEnd(first.id), control.logins.waitForEnd(second.id)]);
    expect(a.state).toBe('succeeded');
    expect(b.state).toBe('succeeded');
    const firstExit = calls(sandbox.homeFor('one'), 'exit')[0]!.t;
    const secondStart = calls(sandbox.homeFor('two'), 'spawn')[0]!.t;
    expect(secondStart).toBeGreaterThanOrEqual(firstExit);
  });

  it('cancelling a queued session never starts codex for it', async () => {
    const { control } = setup({ busy: { login: 'hang' }, queued: {} });
    const first = control.startLogin('busy', 'browser');
    const second = control.startLogin('queued', 'browser');
    expect((await control.logins.cancel(second.id)).state).toBe('cancelled');
    await control.logins.cancel(first.id);
    expect(calls(sandbox.homeFor('queued'))).toHaveLength(0);
  });

  it('a second start for the same account returns the open session', async () => {
    const { control } = setup({ same: { login: 'hang' } });
    const a = control.startLogin('same', 'browser');
    const b = control.startLogin('same', 'device');
    expect(b.id).toBe(a.id);
    await control.logins.cancel(a.id);
  });

  it('codex dying mid-login fails the session with a reason', async () => {
    const { control } = setup({ x: { login: 'hang' } });
    const s = control.startLogin('x', 'browser');
    await until(() => control.logins.get(s.id)?.state === 'waiting');
    const [pid] = loginPids('x');
    process.kill(pid!, 'SIGKILL');
    const done = await control.logins.waitForEnd(s.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/killed by SIGKILL/);
  });

  describe('fallback to `codex login` when the app-server lacks account/login/start', () => {
    const unsupported = { unsupported: ['account/login/start'] };

    it('browser: URL read from stderr, success from the exit code', async () => {
      const { control } = setup({ cb: unsupported });
      const s = control.startLogin('cb', 'browser');
      const done = await control.logins.waitForEnd(s.id);
      expect(done.state).toBe('succeeded');
      expect(done.authUrl).toMatch(/^https:\/\/auth\.openai\.com\/oauth\/authorize\?response_type=code/);
      expect(calls(sandbox.homeFor('cb'), 'login-start')[0]).toMatchObject({ via: 'cli', kind: 'browser' });
      expect(statSync(join(sandbox.homeFor('cb'), 'auth.json')).mode & 0o777).toBe(0o600);
    });

    it('device: URL and code read from stdout', async () => {
      const { control } = setup({ cd: unsupported });
      const done = await control.logins.waitForEnd(control.startLogin('cd', 'device').id);
      expect(done).toMatchObject({
        state: 'succeeded',
        verificationUrl: 'https://auth.openai.com/codex/device',
        userCode: 'FAKE-CODE1',
      });
    });

    it('failure carries "Error logging in" reason; cancel kills `codex login`', async () => {
      const { control } = setup({
        cf: { ...unsupported, login: 'fail', loginError: 'denied' },
        cc: { ...unsupported, login: 'hang' },
      });
      expect(await control.logins.waitForEnd(control.startLogin('cf', 'browser').id)).toMatchObject({
        state: 'failed',
        error: 'denied',
      });
      const s = control.startLogin('cc', 'browser');
      await until(() => control.logins.get(s.id)?.state === 'waiting');
      const pid = calls(sandbox.homeFor('cc'), 'login-start').find((c) => c.via === 'cli')!.pid;
      expect((await control.logins.cancel(s.id)).state).toBe('cancelled');
      expect(isAlive(pid)).toBe(false);
    });
  });
});
