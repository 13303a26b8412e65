import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CcbridgeError } from '../../../src/shared/errors.js';
import { readAuthFile } from '../../../src/codex/authFile.js';
import { makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { calls, makeControl, makeSandbox, setBehaviour } from '../../helpers/codexTestKit.js';

const sandbox = makeSandbox();
const controls: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(controls.splice(0).map((c) => c.close()));
  sandbox.cleanup();
});

function setup(id: string, accessTtlSec: number, behaviour: Record<string, unknown> = {}) {
  const home = sandbox.addAccount(id);
  setBehaviour(home, behaviour);
  const tokens = makeTokens({ chatgptAccountId: `acct-${id}` }, { accessTtlSec });
  writeAuthJson(home, tokens);
  const onNeedsLogin = vi.fn();
  const control = makeControl(sandbox.homeFor, { onNeedsLogin });
  controls.push(control);
  return { home, tokens, control, onNeedsLogin };
}

describe('TokenKeeper', () => {
  it('returns a fresh token from auth.json without starting codex', async () => {
    const { home, tokens, control } = setup('fresh', 3600);
    const creds = await control.credentials('fresh');
    expect(creds).toMatchObject({ accessToken: tokens.access_token, chatgptAccountId: 'acct-fresh' });
    expect(calls(home, 'spawn')).toHaveLength(0);
  });

  it('20 concurrent callers with an expired token cause exactly one refresh', async () => {
    const { home, tokens, control } = setup('burst', -60, { refreshDelayMs: 200 });
    const all = await Promise.all(Array.from({ length: 20 }, () => control.credentials('burst')));
    expect(calls(home, 'refresh')).toHaveLength(1);
    const fresh = all[0]!.accessToken;
    expect(fresh).not.toBe(tokens.access_token);
    expect(all.every((c) => c.accessToken === fresh)).toBe(true);
    expect(all[0]!.expiresAt!).toBeGreaterThan(Date.now() + 30 * 60_000);
    // The new token is what codex wrote to auth.json.
    const read = readAuthFile(home);
    expect(read.kind === 'ok' && read.auth.tokens?.access_token).toBe(fresh);
  });

  it('reads auth.json at most once a second for routine requests, and again before refreshing a token', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { home, tokens, control } = setup('cached', 600);
      expect((await control.credentials('cached')).accessToken).toBe(tokens.access_token);
      // Another login's tokens land on disk: within the second the last read stands, after it the file does.
      const next = makeTokens({ chatgptAccountId: 'acct-cached' }, { accessTtlSec: 3600, serial: 1 });
      writeAuthJson(home, next);
      vi.advanceTimersByTime(999);
      expect((await control.credentials('cached')).accessToken).toBe(tokens.access_token);
      vi.advanceTimersByTime(2);
      expect((await control.credentials('cached')).accessToken).toBe(next.access_token);
      // The token read last expires within the refresh window while codex already wrote a newer one: that one is
      // found in the file, with no refresh.
      const newer = makeTokens({ chatgptAccountId: 'acct-cached' }, { accessTtlSec: 7200, serial: 2 });
      writeAuthJson(home, newer);
      vi.advanceTimersByTime(3600_000 - 60_000);
      expect((await control.credentials('cached')).accessToken).toBe(newer.access_token);
      expect(calls(home, 'refresh')).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refreshes a token that expires within 5 minutes', async () => {
    const { home, control } = setup('soon', 120);
    await control.credentials('soon');
    expect(calls(home, 'refresh')).toHaveLength(1);
  });

  it('forceRefresh (upstream 401) refreshes a valid-looking token once; a stale rejection does not refresh again', async () => {
    const { home, tokens, control } = setup('force', 3600);
    const [a, b] = await Promise.all([
      control.credentials('force', { forceRefresh: true, rejectedAccessToken: tokens.access_token }),
      control.credentials('force', { forceRefresh: true, rejectedAccessToken: tokens.access_token }),
    ]);
    expect(a!.accessToken).not.toBe(tokens.access_token);
    expect(b!.accessToken).toBe(a!.accessToken);
    // A request that was in flight with the old token and got its 401 late:
    const late = await control.credentials('force', { forceRefresh: true, rejectedAccessToken: tokens.access_token });
    expect(late.accessToken).toBe(a!.accessToken);
    expect(calls(home, 'refresh')).toHaveLength(1);
  });

  it('a permanent refresh failure calls onNeedsLogin once and says `ccbridge connect <name>`', async () => {
    const { home, control, onNeedsLogin } = setup('dead', -60, { refresh: 'permanent' });
    const errs = (await Promise.all(
      Array.from({ length: 5 }, () => control.credentials('dead').catch((e: unknown) => e)),
    )) as CcbridgeError[];
    for (const err of errs) {
      expect(err.code).toBe('needs_login');
      expect(err.message).toContain('ccbridge connect name-dead');
    }
    expect(onNeedsLogin).toHaveBeenCalledTimes(1);
    expect(onNeedsLogin.mock.calls[0]![0]).toBe('dead');
    expect(onNeedsLogin.mock.calls[0]![1]).toContain('ccbridge connect name-dead');
    // The dead refresh token is not sent to codex again.
    await expect(control.credentials('dead')).rejects.toThrow(/ccbridge connect/);
    expect(calls(home, 'refresh')).toHaveLength(1);
    // A new login (new auth.json) makes refreshing possible again.
    setBehaviour(home, {});
    writeAuthJson(home, makeTokens({}, { accessTtlSec: -60, serial: 7 }));
    await expect(control.credentials('dead')).resolves.toMatchObject({ chatgptAccountId: 'acct-fake-0001' });
  });

  it('a transient refresh failure is an error to retry, not needs-login', async () => {
    const { control, onNeedsLogin } = setup('flaky', -60, { refresh: 'transient' });
    const err = (await control.credentials('flaky').catch((e: unknown) => e)) as CcbridgeError;
    expect(err.code).toBe('refresh_failed');
    expect(onNeedsLogin).not.toHaveBeenCalled();
  });

  it('an account without a login says how to connect', async () => {
    sandbox.addAccount('none');
    const control = makeControl(sandbox.homeFor);
    controls.push(control);
    const err = (await control.credentials('none').catch((e: unknown) => e)) as CcbridgeError;
    expect(err.code).toBe('not_connected');
    expect(err.message).toContain('ccbridge connect name-none');
  });
});
