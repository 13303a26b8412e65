// What the daemon benchmarks share: the fake Codex backend compiled for plain node, a free loopback port, and
// the environment of a throwaway daemon (temp CCBRIDGE_HOME, the fake codex, the fake backend upstream).
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchOptions } from '../esbuild.config.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(root, 'dist/ccbridge.mjs');
export const FAKE_CODEX = join(root, 'test/fakes/fakeCodex.mjs');

/** test/fakes/codexBackend.ts as an ES module in `outdir`; resolves with its path. */
export async function compileBackend(outdir) {
  const { build } = await import('esbuild');
  await build(benchOptions({ backend: join(root, 'test/fakes/codexBackend.ts') }, outdir));
  return join(outdir, 'backend.mjs');
}

/** A loopback port free right now. */
export function freePort() {
  return new Promise((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

/** The environment of a daemon living in `dir`, on `port`, in front of the fake backend at `upstreamUrl`. */
export function daemonEnv(dir, port, upstreamUrl) {
  return {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    CCBRIDGE_HOME: join(dir, 'data'),
    CCBRIDGE_SOCKET: join(dir, 's.sock'),
    CCBRIDGE_PORT: String(port),
    CCBRIDGE_CODEX_BIN: FAKE_CODEX,
    CCBRIDGE_UPSTREAM_URL: upstreamUrl,
  };
}
