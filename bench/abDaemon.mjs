#!/usr/bin/env node
// A/B of two builds of the daemon at c=64: what one change costs or saves in CPU per request, told apart from the
// machine's drift. Run one after the other, two builds of the same code differ by up to 10 % on a shared two-core
// machine; side by side on one fake backend (bench/bridge.mjs's), in short alternating rounds, the median of their
// per-round ratio reads 1.000 (rounds 0.87–1.12), and repeated runs of one comparison agree within a few percent.
// A side is a dist directory (its `ccbridge.mjs start --foreground` on a temp home, one account whose token is at
// hand) or `minimal` (bench/minimalBridge.ts). Rounds are short because a daemon quiet for 2 s gives memory back
// (releaseMemoryWhenIdle.ts) and then runs its next few thousand requests dearer.
// --stream compares the 20k-delta stream instead: alternating rounds of `--per` (default 3) such streams, one at a
// time, as events per second.
// Usage: node bench/abDaemon.mjs <A> <B> [--rounds=20] [--per=1500] [--stream]
//   e.g. git stash && node build.mjs && mkdir -p .tmp && cp -r dist .tmp/a && git stash pop && node build.mjs &&
//        node bench/abDaemon.mjs .tmp/a dist
//   (a copy inside the repository finds the same node_modules, koffi included, as dist/ does)
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  addBenchAccount,
  compileBackend,
  compileMinimalBridge,
  cpuMs,
  daemonEnv,
  freePort,
  load,
  percentile,
  root,
  startForeground,
  timedPost,
} from './benchDaemon.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => Number(args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt);
const [sideA, sideB] = args.filter((a) => !a.startsWith('--'));
if (!sideA || !sideB) {
  console.error('usage: node bench/abDaemon.mjs <dist dir | minimal> <dist dir | minimal> [--rounds=N] [--per=N]');
  process.exit(2);
}
const STREAM = args.includes('--stream');
const ROUNDS = opt('rounds', 20);
const PER = opt('per', STREAM ? 3 : 1500);
const BIG = 20_000; // deltas in bench/bridge.mjs's big response
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const body = JSON.stringify({
  model: 'gpt-5.5',
  max_tokens: 1024,
  stream: true,
  messages: [{ role: 'user', content: 'hi' }],
});

const post = (url, headers) => timedPost(agent, url, body, headers);

/** A side up and answering: its pid, one request, and how to stop it. */
async function startSide(name, side, dir, upstreamUrl) {
  if (side === 'minimal') {
    const child = fork(await compileMinimalBridge(join(dir, name)), [upstreamUrl], { stdio: 'inherit' });
    const { url } = await new Promise((r) => child.once('message', r));
    return { pid: child.pid, request: () => post(`${url}/anthropic/v1/messages`, {}), stop: () => child.disconnect() };
  }
  const bin = join(resolve(side), 'ccbridge.mjs');
  const env = daemonEnv(join(dir, name), await freePort(), upstreamUrl);
  const cli = (argv) => execFileSync(process.execPath, [bin, ...argv], { env, encoding: 'utf8' });
  addBenchAccount(cli, env);
  const token = cli(['token']).trim();
  cli(['stop']);
  const child = await startForeground(bin, env);
  const url = `http://127.0.0.1:${env.CCBRIDGE_PORT}/anthropic/v1/messages`;
  return { pid: child.pid, request: () => post(url, { authorization: `Bearer ${token}` }), stop: () => cli(['stop']) };
}

const median = (xs) => percentile(xs, 50);

const dir = mkdtempSync(join(tmpdir(), 'ccb-ab-'));
const backendBundle = await compileBackend(dir);
const backend = fork(join(root, 'bench/bridge.mjs'), ['--role=backend', `--bundle=${backendBundle}`], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const { url: upstreamUrl } = await new Promise((r) => backend.once('message', r));
const sides = [];
try {
  for (const [name, side] of [
    ['a', sideA],
    ['b', sideB],
  ])
    sides.push(await startSide(name, side, dir, upstreamUrl)); // one by one: a failed start still stops the other
  // Warm-up as bench/bridge.mjs's (1000 at c=1, 3000 at c=64 each), in chunks short enough that neither side idles.
  for (const c of [1, 64])
    for (let done = 0; done < (c === 1 ? 1000 : 3000); done += 500)
      for (const s of sides) await load(s.request, c, 500);
  if (STREAM) {
    backend.send({ mode: 'big' });
    for (const s of sides) await s.request();
  }
  const rounds = [[], []];
  for (let i = 0; i < ROUNDS; i++)
    for (const k of i % 2 ? [1, 0] : [0, 1]) {
      const before = cpuMs(sides[k].pid);
      const times = await load(sides[k].request, STREAM ? 1 : 64, PER);
      rounds[k].push({ cpu: (cpuMs(sides[k].pid) - before) / PER, p50: median(times) });
    }
  const fmt = (xs, d) => `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;
  const cpu = rounds.map((side) => side.map((r) => r.cpu));
  const p50 = rounds.map((side) => side.map((r) => r.p50));
  if (STREAM) {
    const rate = p50.map((side) => side.map((ms) => (BIG / ms) * 1000));
    console.log(`${ROUNDS} alternating rounds of ${PER} 20k-delta streams on node ${process.version}`);
    console.log('| | events/s | CPU per stream, ms |\n|---|---|---|');
    for (const [k, name] of [sideA, sideB].entries())
      console.log(`| ${k ? 'B' : 'A'} ${name} | ${fmt(rate[k], 0)} | ${fmt(cpu[k], 0)} |`);
    console.log(
      `B ÷ A events/s, per round: ${fmt(
        rate[1].map((b, i) => b / rate[0][i]),
        3,
      )}`,
    );
  } else {
    console.log(`${ROUNDS} alternating rounds of ${PER} requests at c=64 on node ${process.version}`);
    console.log('| | CPU per request, ms | p50, ms |\n|---|---|---|');
    for (const [k, name] of [sideA, sideB].entries())
      console.log(`| ${k ? 'B' : 'A'} ${name} | ${fmt(cpu[k], 3)} | ${fmt(p50[k], 1)} |`);
    console.log(
      `B ÷ A CPU per request, per round: ${fmt(
        cpu[1].map((b, i) => b / cpu[0][i]),
        3,
      )}`,
    );
  }
} finally {
  for (const s of sides) s.stop();
  backend.disconnect();
  agent.destroy();
  // A daemon just stopped may still be writing into its home (Node 20's removal gives up on a file that appears).
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
}
