import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { CcbridgeError } from '../shared/errors.js';

type Env = Record<string, string | undefined>;

/**
 * Oldest codex ccbridge runs. 0.125.0 (rust-v0.125.0) is the oldest release whose app-server protocol our wire
 * notes were checked against (codex.md [S0]) — `account/read {refreshToken}`, `account/rateLimits/read`,
 * `model/list`, `account/login/*` — and it is past gpt-5.5's `minimal_client_version` (0.124.0), which matters
 * because the bridge identifies upstream as the installed codex version.
 */
export const MIN_CODEX_VERSION = '0.125.0';
export const CODEX_INSTALL_HINT = 'npm i -g @openai/codex';

export interface CodexBinary {
  path: string;
  version: string;
}

/** `codex --version` prints `codex-cli 0.169.0`. */
export function parseCodexVersion(output: string): string | null {
  return /codex-cli\s+v?(\d+\.\d+\.\d+)/.exec(output)?.[1] ?? null;
}

/** Numeric x.y.z comparison (pre-release suffixes are ignored). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(name: string, env: Env = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

/** What ccbridge looked for, in words, for the error message. */
function lookedFor(env: Env): string {
  return env.CCBRIDGE_CODEX_BIN ? `CCBRIDGE_CODEX_BIN=${env.CCBRIDGE_CODEX_BIN}` : '`codex` on PATH';
}

export function codexMissingError(env: Env = process.env, detail?: string): CcbridgeError {
  const why = detail ? ` (${detail})` : '';
  return new CcbridgeError(
    'codex_missing',
    `codex CLI not found: looked for ${lookedFor(env)}${why}. Install it with \`${CODEX_INSTALL_HINT}\` (ccbridge needs codex ${MIN_CODEX_VERSION} or newer).`,
    { status: 503 },
  );
}

function codexTooOldError(bin: CodexBinary): CcbridgeError {
  return new CcbridgeError(
    'codex_too_old',
    `codex ${bin.version} at ${bin.path} is too old: ccbridge needs ${MIN_CODEX_VERSION} or newer. Update it with \`${CODEX_INSTALL_HINT}\`.`,
    { status: 503 },
  );
}

function locate(env: Env): string {
  const explicit = env.CCBRIDGE_CODEX_BIN;
  if (explicit) {
    const path = isAbsolute(explicit) || explicit.includes('/') ? resolve(explicit) : findOnPath(explicit, env);
    if (!path || !isExecutableFile(path)) throw codexMissingError(env, 'not an executable file');
    return path;
  }
  const found = findOnPath('codex', env);
  if (!found) throw codexMissingError(env);
  return found;
}

function readVersion(path: string, env: Env): Promise<string> {
  return new Promise((resolveVersion, reject) => {
    execFile(
      path,
      ['--version'],
      { env: env as NodeJS.ProcessEnv, timeout: 5_000, killSignal: 'SIGKILL' },
      (err, stdout) => {
        const version = parseCodexVersion(String(stdout));
        if (version) return resolveVersion(version);
        reject(
          codexMissingError(
            env,
            err ? `\`${path} --version\` failed: ${err.message}` : `\`${path} --version\` printed no codex-cli version`,
          ),
        );
      },
    );
  });
}

const cache = new Map<string, Promise<CodexBinary>>();

/** The codex binary `env` selects, as a cache key: its path and file stamp (an upgrade changes it). Throws if none. */
export function codexBinaryKey(env: Env = process.env): string {
  const path = locate(env);
  const st = statSync(path);
  return `${path}\0${st.size}\0${st.mtimeMs}`;
}

/** The version of a binary seen before (the daemon keeps it on disk): `codex --version` need not run again. */
export function seedCodexVersion(key: string, version: string): void {
  if (!cache.has(key)) cache.set(key, Promise.resolve({ path: key.slice(0, key.indexOf('\0')), version }));
}

/**
 * Finds codex and checks its version. The version is cached per binary (path and file stamp), so an upgrade
 * is noticed; failures are not cached, so installing codex fixes a running daemon without a restart.
 */
export async function resolveCodexBinary(env: Env = process.env): Promise<CodexBinary> {
  const key = codexBinaryKey(env);
  const path = key.slice(0, key.indexOf('\0'));
  let pending = cache.get(key);
  if (!pending) {
    pending = readVersion(path, env).then((version) => ({ path, version }));
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  const bin = await pending;
  if (compareVersions(bin.version, MIN_CODEX_VERSION) < 0) throw codexTooOldError(bin);
  return bin;
}
