// What the daemon benchmarks share: the fake Codex backend compiled for plain node (or forked and answering), a
// free loopback port, timed requests under load, percentiles, a process's CPU time, and the environment of a
// throwaway daemon (temp CCBRIDGE_HOME, the fake codex, the fake backend upstream), its account and its start in the
// foreground.
import { fork, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchOptions } from '../esbuild.config.mjs';
import { makeTokens, writeAuthJson } from '../test/fakes/fakeCodexAuth.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(root, 'dist/ccbridge.mjs');
export const FAKE_CODEX = join(root, 'test/fakes/fakeCodex.mjs');

/** test/fakes/codexBackend.ts as an ES module in `outdir`; resolves with its path. */
export async function compileBackend(outdir) {
  const { build } = await import('esbuild');
  await build(benchOptions({ backend: join(root, 'test/fakes/codexBackend.ts') }, outdir));
  return join(outdir, 'backend.mjs');
}

/** bench/minimalBridge.ts as a runnable ES module in `outdir`; resolves with its path. */
export async function compileMinimalBridge(outdir) {
  const { build } = await import('esbuild');
  await build(benchOptions({ minimalBridge: join(root, 'bench/minimalBridge.ts') }, outdir));
  return join(outdir, 'minimalBridge.mjs');
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

/**
 * One request to the bridge on `agent`; resolves with status, time and the first 64 KB of the body (an error's
 * message when it failed), never rejects. `guardMs` bounds a hung answer beyond the daemon's own limits.
 */
export function bridgeRequest(
  port,
  agent,
  { method = 'POST', path = '/anthropic/v1/messages', headers = {}, body },
  guardMs = 60_000,
) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          if (text.length < 64 * 1024) text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0, text }));
      },
    );
    req.setTimeout(guardMs, () => req.destroy(new Error(`bench guard: no answer in ${guardMs / 1000} s`)));
    req.on('error', (err) => resolve({ status: 0, ms: performance.now() - t0, text: err.message }));
    req.end(body);
  });
}

/**
 * Adds the account `bench` through `cli` (a ccbridge command run against the daemon's environment `env`) with its
 * token at hand: the fake codex's auth.json written into its home. Resolves with the account's id.
 */
export function addBenchAccount(cli, env) {
  const { id } = JSON.parse(cli(['add', 'bench', '--json']));
  writeAuthJson(join(env.CCBRIDGE_HOME, 'accounts', id, 'codex-home'), makeTokens({ chatgptAccountId: 'acct-bench' }));
  return id;
}

/**
 * `bin start --foreground` in a process of its own, under the node options `nodeArgs`, so its pid is the daemon's
 * (for /proc and --cpu-prof); resolves with that process once `status` answers, within 10 s. The foreground daemon
 * runs with the environment it is given, so it gets the detached daemon's MALLOC_ARENA_MAX here.
 */
export async function startForeground(bin, env, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, bin, 'start', '--foreground', '--json'], {
    env: { ...env, MALLOC_ARENA_MAX: '2' },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 10_000;
  while (spawnSync(process.execPath, [bin, 'status'], { env }).status !== 0) {
    if (Date.now() > deadline) throw new Error(`${bin}: the daemon did not start in the foreground`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return child;
}

/**
 * One POST on `agent`; resolves with the total time in ms once the whole answer is read, rejects on a non-200. A
 * kept-alive connection the server closed as it was reused (its idle timeout, 5 s on Node, ran out while the other
 * targets had their turn) is not the server's failure: the request goes again on another, as Node's docs advise.
 */
export function timedPost(agent, url, body, headers) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const send = (retried) => {
      const req = http.request(
        url,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } },
        (res) => {
          res.on('data', () => {});
          res.on('end', () =>
            res.statusCode === 200
              ? resolve(performance.now() - t0)
              : reject(new Error(`${url}: HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', (err) => {
        if (req.reusedSocket && err.code === 'ECONNRESET' && !retried) send(true);
        else reject(new Error(`${url}: ${err.message}`));
      });
      req.end(body);
    };
    send(false);
  });
}

/** `total` calls of `request`, `c` at a time; resolves with their times in the order they ended. */
export async function load(request, c, total) {
  const times = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      times.push(await request());
    }
  };
  await Promise.all(Array.from({ length: c }, worker));
  return times;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** CPU time (user + system) process `pid` has used so far, in ms. */
export function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** The p-th percentile of `xs` (nearest rank). */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))] ?? 0;
}

/**
 * The fake backend in a process of its own (its parsing of large bodies must not weigh on the process that
 * measures), answering every request with one short streamed message. Resolves with its url and `stop()`.
 */
export async function forkFakeBackend(dir) {
  const child = fork(fileURLToPath(import.meta.url), ['--fake-backend', await compileBackend(dir)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url } = await new Promise((resolve) => child.once('message', resolve));
  return { url, stop: () => child.disconnect() };
}

if (process.argv[2] === '--fake-backend') {
  const mod = await import(pathToFileURL(process.argv[3]).href);
  const backend = await mod.startFakeCodexBackend();
  const answer = mod.sse
    .response([mod.sse.message('fine')])
    .map(mod.frame)
    .join('');
  backend.handle((_req, res) => {
    backend.requests.length = 0; // flat memory however long the bench runs
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(answer);
  });
  process.send({ url: backend.url });
  process.on('disconnect', () => process.exit(0));
}
