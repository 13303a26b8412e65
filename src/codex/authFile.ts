import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { rememberSecret } from '../core/redact.js';

/** `$CODEX_HOME/auth.json` as codex writes it (login/src/auth/storage.rs `AuthDotJson`, codex.md §1). */
export const AuthDotJsonSchema = z.looseObject({
  auth_mode: z.string().nullable().optional(),
  OPENAI_API_KEY: z.string().nullable().optional(),
  tokens: z
    .looseObject({
      id_token: z.string(),
      access_token: z.string(),
      refresh_token: z.string(),
      account_id: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  last_refresh: z.string().nullable().optional(),
});
export type AuthDotJson = z.infer<typeof AuthDotJsonSchema>;

const AUTH_CLAIMS = 'https://api.openai.com/auth';
const PROFILE_CLAIMS = 'https://api.openai.com/profile';

/** The id_token claims ccbridge shows (codex.md §2). */
export const IdTokenClaimsSchema = z.looseObject({
  email: z.string().optional(),
  [PROFILE_CLAIMS]: z.looseObject({ email: z.string().optional() }).optional(),
  [AUTH_CLAIMS]: z
    .looseObject({
      chatgpt_plan_type: z.string().nullable().optional(),
      chatgpt_account_id: z.string().nullable().optional(),
      chatgpt_user_id: z.string().nullable().optional(),
    })
    .optional(),
});

/** Base64url-decodes a JWT payload without verifying it, as codex does (`decode_jwt_payload`). */
export function decodeJwtPayload(jwt: string): Record<string, unknown> | null {
  const part = jwt.split('.')[1];
  if (!part) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The JWT `exp` claim in epoch ms, or null when absent or unreadable. */
export function jwtExpiryMs(jwt: string): number | null {
  const exp = decodeJwtPayload(jwt)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
}

export interface AuthIdentity {
  email: string | null;
  planType: string | null;
  chatgptAccountId: string | null;
}

export function identityFromIdToken(idToken: string, fallbackAccountId: string | null = null): AuthIdentity {
  const parsed = IdTokenClaimsSchema.safeParse(decodeJwtPayload(idToken) ?? {});
  const claims = parsed.success ? parsed.data : {};
  const auth = claims[AUTH_CLAIMS];
  return {
    email: claims.email ?? claims[PROFILE_CLAIMS]?.email ?? null,
    planType: auth?.chatgpt_plan_type ?? null,
    chatgptAccountId: auth?.chatgpt_account_id ?? fallbackAccountId,
  };
}

export type AuthFileRead =
  | { kind: 'missing' }
  | { kind: 'invalid'; error: string }
  | { kind: 'ok'; auth: AuthDotJson; mtimeMs: number };

export function authFilePath(home: string): string {
  return join(home, 'auth.json');
}

export function parseAuthFile(text: string, mtimeMs: number): AuthFileRead {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', error: 'auth.json is not valid JSON' };
  }
  const parsed = AuthDotJsonSchema.safeParse(json);
  if (!parsed.success)
    return {
      kind: 'invalid',
      error: `auth.json has an unexpected shape (${parsed.error.issues[0]?.path.join('.') ?? '?'})`,
    };
  const tokens = parsed.data.tokens;
  // Whatever this process reads, it must never repeat: the registry redacts these from errors, events and logs.
  for (const secret of [tokens?.access_token, tokens?.refresh_token, tokens?.id_token, parsed.data.OPENAI_API_KEY])
    rememberSecret(secret);
  return { kind: 'ok', auth: parsed.data, mtimeMs };
}

/**
 * How old a read of auth.json the hot paths (routing, a request's token) may go by: a login or refresh done by codex
 * itself is seen within this, and a request costs no stat.
 */
export const AUTH_READ_MAX_AGE_MS = 1000;

/** By account home. */
const cache = new Map<string, { stamp: string; read: AuthFileRead; checkedAt: number }>();
const MISSING: AuthFileRead = { kind: 'missing' };

/**
 * Reads an account's auth.json. The file is parsed again only when its mtime, size or inode changed, so a login or
 * refresh done by codex shows up without a restart. One stat per call, or none when the last one is younger than
 * `maxAgeMs`: the router looks at every account on every request, and must not stat each.
 */
export function readAuthFile(home: string, opts: { maxAgeMs?: number } = {}): AuthFileRead {
  const now = Date.now();
  const hit = cache.get(home);
  if (hit && opts.maxAgeMs && now - hit.checkedAt < opts.maxAgeMs) return hit.read;
  const path = authFilePath(home);
  let stamp: string;
  let mtimeMs: number;
  try {
    const st = statSync(path);
    mtimeMs = st.mtimeMs;
    stamp = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch {
    cache.set(home, { stamp: '', read: MISSING, checkedAt: now });
    return MISSING;
  }
  if (hit?.stamp === stamp) {
    hit.checkedAt = now;
    return hit.read;
  }
  let read: AuthFileRead;
  try {
    read = parseAuthFile(readFileSync(path, 'utf8'), mtimeMs);
  } catch {
    read = MISSING; // removed between stat and read (logout)
  }
  cache.set(home, { stamp, read, checkedAt: now });
  return read;
}

let forgotten = 0;

/** The next read of this home's auth.json stats it whatever `maxAgeMs` says (ccbridge itself changed the login). */
export function forgetAuthFile(home: string): void {
  cache.delete(home);
  forgotten++;
}

/** Goes up with every `forgetAuthFile`: a login ccbridge changed, which what was worked out from logins must see. */
export function authFilesForgotten(): number {
  return forgotten;
}

export interface TokenFacts {
  identity: AuthIdentity;
  /** Access-token expiry (epoch ms), null when the JWT has no readable `exp`. */
  expiresAt: number | null;
}

const facts = new WeakMap<object, TokenFacts>();

/**
 * What the JWTs of a token set say (identity, expiry), decoded once per token set: a parsed auth.json is kept
 * until the file changes, so this runs once per login or refresh, not per request.
 */
export function tokenFacts(tokens: NonNullable<AuthDotJson['tokens']>): TokenFacts {
  let known = facts.get(tokens);
  if (!known) {
    known = {
      identity: identityFromIdToken(tokens.id_token, tokens.account_id ?? null),
      expiresAt: jwtExpiryMs(tokens.access_token),
    };
    facts.set(tokens, known);
  }
  return known;
}
