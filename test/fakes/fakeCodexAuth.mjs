// Builds auth.json the way the real codex writes it (login/src/auth/storage.rs, token_data.rs):
// pretty JSON, mode 0600, an id_token JWT with the ChatGPT claims under "https://api.openai.com/auth".
// Shared by the fake codex executable and by tests that seed an account home.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned JWT (alg none), like codex's own test fixtures (auth_fixtures.rs `encode_id_token`). */
export function makeJwt(payload) {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.${Buffer.from('sig').toString('base64url')}`;
}

export const FAKE_IDENTITY = {
  email: 'user@example.com',
  planType: 'pro',
  chatgptAccountId: 'acct-fake-0001',
  chatgptUserId: 'user-fake-0001',
};

/**
 * Token set for one identity. `accessTtlSec` sets the access token's `exp` (negative = already expired);
 * `serial` makes every refresh yield different token text.
 */
export function makeTokens(identity = {}, { accessTtlSec = 3600, serial = 0, now = Date.now() } = {}) {
  const id = { ...FAKE_IDENTITY, ...identity };
  const iat = Math.floor(now / 1000);
  const authClaims = {
    chatgpt_plan_type: id.planType,
    chatgpt_user_id: id.chatgptUserId,
    user_id: id.chatgptUserId,
    chatgpt_account_id: id.chatgptAccountId,
  };
  return {
    id_token: makeJwt({
      email: id.email,
      'https://api.openai.com/auth': authClaims,
      iat,
      exp: iat + 3600,
      aud: 'app_EMoamEEZ73f0CkXaXp7hrann',
    }),
    access_token: makeJwt({
      'https://api.openai.com/auth': authClaims,
      iat,
      exp: iat + accessTtlSec,
      jti: `at-${serial}-${now}`,
    }),
    refresh_token: `rt_fake_${id.chatgptAccountId}_${serial}_${now}`,
    account_id: id.chatgptAccountId,
  };
}

/** Writes `<home>/auth.json` exactly as codex's FileAuthStorage::save does. */
export function writeAuthJson(home, tokens, { lastRefresh = new Date().toISOString() } = {}) {
  mkdirSync(home, { recursive: true });
  const file = join(home, 'auth.json');
  const body = { auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens, last_refresh: lastRefresh };
  writeFileSync(file, JSON.stringify(body, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
