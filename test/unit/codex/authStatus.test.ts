import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeJwtPayload, identityFromIdToken, readAuthFile } from '../../../src/codex/authFile.js';
import { authStatusFrom } from '../../../src/codex/authStatus.js';
import { makeJwt, makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { makeSandbox } from '../../helpers/codexTestKit.js';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const sandbox = makeSandbox();
afterEach(() => sandbox.cleanup());

function statusWith(accessTtlSec: number, opts: { needsLogin?: boolean } = {}) {
  const home = sandbox.addAccount(`a${accessTtlSec < 0 ? 'n' : ''}${Math.abs(accessTtlSec)}`);
  writeAuthJson(
    home,
    makeTokens({ email: 'me@example.com', planType: 'plus', chatgptAccountId: 'acct-1' }, { accessTtlSec, now: NOW }),
    {
      lastRefresh: '2026-06-01T11:00:00.000Z',
    },
  );
  return authStatusFrom(readAuthFile(home), { now: NOW, ...opts });
}

describe('authStatusFrom', () => {
  it('not-connected without auth.json', () => {
    const home = sandbox.addAccount('empty');
    expect(authStatusFrom(readAuthFile(home), { now: NOW })).toEqual({
      state: 'not-connected',
      email: null,
      planType: null,
      chatgptAccountId: null,
      accessTokenExpiresAt: null,
      lastRefresh: null,
    });
  });

  it('connected with identity, expiry and last refresh from auth.json', () => {
    expect(statusWith(3600)).toEqual({
      state: 'connected',
      email: 'me@example.com',
      planType: 'plus',
      chatgptAccountId: 'acct-1',
      accessTokenExpiresAt: new Date(NOW + 3600_000).toISOString(),
      lastRefresh: '2026-06-01T11:00:00.000Z',
    });
  });

  it('expiring within 5 minutes, expired after exp', () => {
    expect(statusWith(240).state).toBe('expiring');
    expect(statusWith(301).state).toBe('connected');
    expect(statusWith(-10).state).toBe('expired');
  });

  it('needs-login when the daemon flagged it, keeping the identity', () => {
    const s = statusWith(3600, { needsLogin: true });
    expect(s.state).toBe('needs-login');
    expect(s.email).toBe('me@example.com');
  });

  it('needs-login for an unreadable auth.json; not-connected for an API-key-only one', () => {
    const bad = sandbox.addAccount('bad');
    writeFileSync(join(bad, 'auth.json'), '{not json');
    expect(authStatusFrom(readAuthFile(bad), { now: NOW }).state).toBe('needs-login');
    const key = sandbox.addAccount('key');
    writeFileSync(
      join(key, 'auth.json'),
      JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-x', tokens: null, last_refresh: null }),
    );
    expect(authStatusFrom(readAuthFile(key), { now: NOW }).state).toBe('not-connected');
  });

  it('never carries token text', () => {
    const home = sandbox.addAccount('t');
    const tokens = makeTokens({}, { now: NOW });
    writeAuthJson(home, tokens);
    const text = JSON.stringify(authStatusFrom(readAuthFile(home), { now: NOW }));
    for (const t of [tokens.access_token, tokens.refresh_token, tokens.id_token]) expect(text).not.toContain(t);
  });
});

describe('auth.json reading', () => {
  it('picks up a rewrite by codex without restart (mtime)', () => {
    const home = sandbox.addAccount('w');
    writeAuthJson(home, makeTokens({ email: 'old@example.com' }, { now: NOW }));
    expect(authStatusFrom(readAuthFile(home), { now: NOW }).email).toBe('old@example.com');
    expect(readAuthFile(home)).toBe(readAuthFile(home)); // cached while unchanged
    writeAuthJson(home, makeTokens({ email: 'new@example.com' }, { now: NOW }));
    utimesSync(join(home, 'auth.json'), new Date(), new Date(Date.now() + 5_000));
    expect(authStatusFrom(readAuthFile(home), { now: NOW }).email).toBe('new@example.com');
  });

  it('decodes claims without verifying, with the profile email fallback', () => {
    const jwt = makeJwt({
      'https://api.openai.com/profile': { email: 'p@example.com' },
      'https://api.openai.com/auth': { chatgpt_plan_type: 'team', chatgpt_account_id: 'acct-9' },
    });
    expect(identityFromIdToken(jwt)).toEqual({ email: 'p@example.com', planType: 'team', chatgptAccountId: 'acct-9' });
    expect(decodeJwtPayload('garbage')).toBeNull();
    expect(identityFromIdToken('x.y.z', 'fallback')).toEqual({
      email: null,
      planType: null,
      chatgptAccountId: 'fallback',
    });
  });
});

describe('readAuthFile with maxAgeMs', () => {
  // The router looks at every account on every request: within maxAgeMs it must not touch the file system
  // (500 accounts used to cost a stat each per request), yet a change shows up once the age has passed.
  it('answers from memory within the age, and sees a change after it', async () => {
    const home = sandbox.addAccount('aged');
    writeAuthJson(home, makeTokens({ email: 'first@example.com' }));
    const first = readAuthFile(home, { maxAgeMs: 200 });
    expect(first.kind).toBe('ok');
    rmSync(join(home, 'auth.json'));
    expect(readAuthFile(home, { maxAgeMs: 200 })).toBe(first); // no stat: the removal is not seen yet
    expect(readAuthFile(home).kind).toBe('missing'); // without an age every read stats
    writeAuthJson(home, makeTokens({ email: 'second@example.com' }));
    await new Promise((r) => setTimeout(r, 250));
    const later = readAuthFile(home, { maxAgeMs: 200 });
    expect(later.kind === 'ok' && identityFromIdToken(later.auth.tokens!.id_token).email).toBe('second@example.com');
  });
});
