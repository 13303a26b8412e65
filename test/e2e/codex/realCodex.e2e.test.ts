import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CcbridgeError } from '../../../src/shared/errors.js';
import { CodexControl } from '../../../src/codex/codexControl.js';
import { limitsFromAppServer } from '../../../src/codex/limitsFromAppServer.js';
import { startFakeChatgpt, type FakeChatgpt } from '../../fakes/fakeChatgptServer.js';
import { makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { makeTestTls } from '../../fakes/tlsCert.js';
import { makeSandbox, REAL_CODEX } from '../../helpers/codexTestKit.js';

// Drives the real `codex app-server` (@openai/codex, the pinned test peer) through ccbridge's client against a fake
// ChatGPT backend over HTTPS, so the client stays honest against the protocol as codex really speaks it.
describe('real codex app-server', () => {
  const sandbox = makeSandbox();
  let fake: FakeChatgpt;
  let control: CodexControl;
  const onNeedsLogin = vi.fn();

  beforeAll(async () => {
    const tls = makeTestTls();
    fake = await startFakeChatgpt(tls);
    control = new CodexControl({
      homeFor: sandbox.homeFor,
      nameFor: (id) => id,
      onNeedsLogin,
      env: {
        ...process.env,
        CCBRIDGE_CODEX_BIN: REAL_CODEX,
        // ccbridge must pass these through to codex untouched.
        CODEX_CA_CERTIFICATE: tls.caPath,
        CODEX_REFRESH_TOKEN_URL_OVERRIDE: fake.refreshUrl,
        OPENAI_API_KEY: 'sk-must-not-reach-codex',
      },
    });
  });
  afterAll(async () => {
    await control?.close();
    await fake?.close();
    sandbox.cleanup();
  });

  function account(id: string, accessTtlSec: number) {
    const home = sandbox.addAccount(id);
    writeFileSync(join(home, 'config.toml'), `chatgpt_base_url = "${fake.chatgptBaseUrl}"\n`);
    const tokens = makeTokens({}, { accessTtlSec });
    writeAuthJson(home, tokens);
    return tokens;
  }

  it('refreshes an expired token through codex (account/read refreshToken) and hands out the new one', async () => {
    const old = account('refresh', -60);
    const before = fake.refreshCount();
    const creds = await control.credentials('refresh');
    expect(fake.refreshCount()).toBeGreaterThan(before);
    expect(creds.accessToken).not.toBe(old.access_token);
    expect(creds.chatgptAccountId).toBe('acct-fake-0001');
    expect(creds.expiresAt!).toBeGreaterThan(Date.now() + 30 * 60_000);
    const refresh = fake.requests.find((r) => r.path === '/oauth/token')!;
    expect(JSON.parse(refresh.body)).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: old.refresh_token,
      client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
    });
    const check = fake.requests.filter((r) => r.path === '/backend-api/wham/accounts/check').at(-1)!;
    expect(check.headers.authorization).toBe(`Bearer ${creds.accessToken}`);
    expect(check.headers['chatgpt-account-id']).toBe('acct-fake-0001');
    expect(control.authStatus('refresh')).toMatchObject({
      state: 'connected',
      email: 'user@example.com',
      planType: 'pro',
    });
  });

  it('reads rate limits from /wham/usage', async () => {
    account('limits', 3600);
    const res = await control.readRateLimits('limits');
    expect(res.rateLimits).toMatchObject({
      limitId: 'codex',
      planType: 'pro',
      primary: { usedPercent: 42, windowDurationMins: 300 },
    });
    expect(limitsFromAppServer(res, new Date().toISOString()).buckets[0]).toMatchObject({
      limitId: 'codex',
      secondary: { windowMinutes: 10080 },
    });
    const usage = fake.requests.filter((r) => r.path === '/backend-api/wham/usage').at(-1)!;
    expect(usage.headers.authorization).toMatch(/^Bearer eyJ/);
    expect(usage.headers['chatgpt-account-id']).toBe('acct-fake-0001');
  });

  it('reports banked rate-limit reset credits from /wham/rate-limit-reset-credits', async () => {
    account('banked', 3600);
    fake.resetCredits = {
      available_count: 2,
      credits: [
        {
          id: 'rc_1',
          reset_type: 'codex_rate_limits',
          status: 'available',
          granted_at: '2026-11-20T10:00:00Z',
          expires_at: '2026-12-20T10:00:00Z',
          title: 'Full reset',
          description: null,
        },
      ],
    };
    try {
      const res = await control.readRateLimits('banked');
      // codex 0.169 turns the backend's list into camelCase with unix-second times.
      expect(res.rateLimitResetCredits).toEqual({
        availableCount: 2,
        credits: [
          expect.objectContaining({
            id: 'rc_1',
            status: 'available',
            resetType: 'codexRateLimits',
            expiresAt: 1797760800,
          }),
        ],
      });
      expect(limitsFromAppServer(res, new Date().toISOString()).resetCredits).toBe(2);
    } finally {
      fake.resetCredits = null;
    }
    // When the backend does not answer, codex says null: unknown, not none.
    expect(
      limitsFromAppServer(await control.readRateLimits('banked'), new Date().toISOString()).resetCredits,
    ).toBeUndefined();
  });

  it('a refresh token refused for good marks the account needs-login', async () => {
    account('dead', -60);
    fake.setRefreshMode('permanent');
    try {
      const err = (await control.credentials('dead').catch((e: unknown) => e)) as CcbridgeError;
      expect(err.code).toBe('needs_login');
      expect(err.message).toContain('ccbridge connect dead');
      expect(onNeedsLogin).toHaveBeenCalledWith('dead', expect.stringContaining('ccbridge connect dead'));
    } finally {
      fake.setRefreshMode('ok');
    }
  });
});
