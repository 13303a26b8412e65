import * as z from 'zod';
import { CcbridgeError } from '../errors.js';

type Env = Record<string, string | undefined>;

/** An empty variable counts as unset, as `CCBRIDGE_HOST= ccbridge start` means. */
const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);
const text = z.preprocess(unsetIfEmpty, z.string().optional());
const positiveInt = z.coerce.number().int().positive();
const optionalInt = z.preprocess(unsetIfEmpty, positiveInt.optional());
const intOr = (fallback: number) => z.preprocess(unsetIfEmpty, positiveInt.default(fallback));

/**
 * Every `CCBRIDGE_*` variable ccbridge reads, what it must look like, and its default where more than
 * one module needs it. Read through `ccbridgeEnv()`, so a malformed value is one clear error instead
 * of a NaN deadline. The man page and README list them all (test/packaging checks that).
 */
export const CcbridgeEnvSchema = z.object({
  CCBRIDGE_HOME: text,
  CCBRIDGE_SOCKET: text,
  CCBRIDGE_HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  CCBRIDGE_PORT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).max(65_535).default(9000)),
  CCBRIDGE_UPSTREAM_URL: z.preprocess(unsetIfEmpty, z.url().optional()),
  CCBRIDGE_CODEX_BIN: text,
  CCBRIDGE_CLAUDE_BIN: text,
  CCBRIDGE_LOG_LEVEL: text,
  CCBRIDGE_LOG_MAX_BYTES: optionalInt,
  CCBRIDGE_START_TIMEOUT_MS: intOr(15_000),
  CCBRIDGE_STOP_TIMEOUT_MS: intOr(20_000),
  CCBRIDGE_CODEX_TIMEOUT_MS: optionalInt,
  CCBRIDGE_LOGIN_TIMEOUT_MS: optionalInt,
  CCBRIDGE_LIMITS_ATTACHED_MS: optionalInt,
  CCBRIDGE_LIMITS_IDLE_MS: optionalInt,
  CCBRIDGE_PING_MS: optionalInt,
  CCBRIDGE_UPSTREAM_HEADERS_MS: optionalInt,
  CCBRIDGE_UPSTREAM_IDLE_MS: optionalInt,
});
export type CcbridgeEnv = z.infer<typeof CcbridgeEnvSchema>;

/** The `CCBRIDGE_*` environment, parsed; a malformed value says which and how to fix it. */
export function ccbridgeEnv(env: Env = process.env): CcbridgeEnv {
  const result = CcbridgeEnvSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new CcbridgeError(
      'invalid_env',
      `${name}=${JSON.stringify(env[name])} is not valid (${issue.message}); fix or unset it`,
      { exitCode: 2 },
    );
  }
  return result.data;
}
