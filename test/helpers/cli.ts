import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { vi } from 'vitest';
import { type FakeTokens, writeAuthJson } from '../fakes/fakeCodexAuth.mjs';
import { until } from './until.js';

/** The built bundle: e2e tests always run what users run. `npm test` builds first. */
export const BIN = resolve(import.meta.dirname, '../../dist/ccbridge.mjs');
export const ROOT = resolve(import.meta.dirname, '../..');

export interface TestHome {
  dir: string;
  env: NodeJS.ProcessEnv;
  port: number;
  /** Extra env merged into every run. */
  set(extra: NodeJS.ProcessEnv): void;
  cleanup(): Promise<void>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/**
 * A fixed-offset zone (for `TZ`) in which it is now about noon, so a test that counts by local day cannot have its
 * requests straddle a midnight, whenever CI runs it.
 */
export function middayZone(now = new Date()): string {
  const offset = 12 - now.getUTCHours(); // hours east of UTC: -11 … 12
  // POSIX-style names invert the sign: Etc/GMT-5 is five hours east of UTC.
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/**
 * A temp CCBRIDGE_HOME with a short socket path and a free bridge port. The inherited env is
 * scrubbed of anything that would reach a real account or the user's own daemon.
 */
export async function makeHome(extra: NodeJS.ProcessEnv = {}): Promise<TestHome> {
  // Short base dir: the socket path must stay under 95 bytes.
  const dir = mkdtempSync(join(tmpdir(), 'ccb-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    TZ: 'UTC',
    CCBRIDGE_HOME: join(dir, 'data'),
    CCBRIDGE_SOCKET: join(dir, 's.sock'),
    CCBRIDGE_PORT: String(port),
    CCBRIDGE_HOST: '127.0.0.1',
    CLAUDE_SETTINGS_PATH: join(dir, 'home', '.claude', 'settings.json'),
    NO_COLOR: '1',
    ...extra,
  };
  const home: TestHome = {
    dir,
    env,
    port,
    set(more) {
      Object.assign(env, more);
    },
    async cleanup() {
      await stopAndWait(home);
      await removeTree(dir);
    },
  };
  return home;
}

/**
 * `rm -rf`, run again until it succeeds (bounded): a codex a test started can go on creating files under the tree
 * until its daemon stops it (once its data dir is gone, within 2 s: keepControlSocket.ts), and Node 20's removal
 * gives up on a file that appears under it (ENOTEMPTY). At the deadline the last error is the test's failure.
 */
export async function removeTree(dir: string, timeoutMs = 10_000): Promise<void> {
  await until(
    () => {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
      return true;
    },
    timeoutMs,
    `${dir} removed`,
  );
}

export function run(
  home: TestHome,
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolveRun) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...home.env, ...opts.env }, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        resolveRun({ code, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** Runs and expects exit 0; returns stdout. */
export async function ok(home: TestHome, args: string[], opts?: Parameters<typeof run>[2]): Promise<string> {
  const r = await run(home, args, opts);
  if (r.code !== 0)
    throw new Error(`ccbridge ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

export async function okJson<T = any>(home: TestHome, args: string[], opts?: Parameters<typeof run>[2]): Promise<T> {
  return JSON.parse(await ok(home, [...args, '--json'], opts)) as T;
}

/**
 * The official SDK as a client of the home's bridge, as Claude Code is one: the bridge token (`ccbridge token`
 * starts the daemon when none runs) and no retries, so a failure shows as it happened.
 */
export async function bridgeClient(home: TestHome): Promise<Anthropic> {
  const token = (await ok(home, ['token'])).trim();
  return new Anthropic({
    baseURL: `http://127.0.0.1:${home.port}/anthropic`,
    authToken: token,
    apiKey: null,
    maxRetries: 0,
  });
}

/**
 * Signs an account in as a codex login would (its auth.json) and waits until the running daemon sees it: the daemon
 * looks at auth.json files at most once a second, so a command right after the write could still see no login.
 */
export async function signIn(home: TestHome, accountId: string, tokens: FakeTokens): Promise<void> {
  writeAuthJson(join(home.env.CCBRIDGE_HOME!, 'accounts', accountId, 'codex-home'), tokens);
  await vi.waitFor(
    async () => {
      const { accounts } = (await okJson(home, ['list'])) as {
        accounts: Array<{ id: string; auth: { state: string } }>;
      };
      // Any signed-in state: a token near or past its expiry is still a login (codex refreshes it).
      if (accounts.find((a) => a.id === accountId)?.auth.state === 'not-connected')
        throw new Error(`${accountId}: not yet`);
    },
    { timeout: 10_000, interval: 100 },
  );
}

export function daemonPid(home: TestHome): number | null {
  const file = join(home.env.CCBRIDGE_HOME!, 'run', 'daemon.pid');
  if (!existsSync(file)) return null;
  return Number(readFileSync(file, 'utf8').trim()) || null;
}

export function alive(pid: number): boolean {
  if (zombie(pid)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the daemon of `home` if one runs; kills it if it does not stop. */
export async function stopAndWait(home: TestHome): Promise<void> {
  const pid = daemonPid(home);
  await run(home, ['stop'], { timeoutMs: 30_000 });
  if (pid && alive(pid)) {
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 5000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
}

/** A long-running `ccbridge` child (tui, logs -f, start --foreground) for tests that drive one. */
export function spawnCli(home: TestHome, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { env: { ...home.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** An exited detached daemon stays a zombie until init reaps it; that is not alive. */
function zombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
