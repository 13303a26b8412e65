#!/usr/bin/env node
// Per-request work must not grow with the number of accounts (issue 14.13). Two built daemons in front of the fake
// backend, one holding 1 signed-in account and one holding 500, serve the same streaming requests one at a time,
// in alternating rounds so other load on the machine weighs on both alike. Reported per daemon: its CPU time
// (user + system, from /proc/<pid>/stat) per request and the request p50, and the 500:1 ratios.
// Usage: node build.mjs && node bench/manyAccounts.mjs [--accounts=N] [--routing=failover|balance|drain] [--json]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, daemonEnv, forkFakeBackend, freePort, percentile, root } from './benchDaemon.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const MANY = Math.min(2000, Number(opt('accounts', '500')));
const ROUTING = opt('routing', 'failover');
const ROUNDS = 6;
const PER_ROUND = 150;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The process's CPU time (user + system), in clock ticks (10 ms). */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Waits until the daemon has used no CPU for a second (startup: model lists, every account's limits read). */
async function settled(pid) {
  const deadline = Date.now() + 180_000;
  for (let last = cpuTicks(pid); Date.now() < deadline; ) {
    await sleep(1000);
    const now = cpuTicks(pid);
    if (now - last <= 1) return;
    last = now;
  }
  throw new Error('the daemon did not settle in 3 minutes');
}

/** A daemon in `dir` with `count` signed-in accounts (seeded while it is down: adding 500 one by one is slow). */
async function daemonWith(dir, count, upstreamUrl, tokens) {
  const port = await freePort();
  const env = { ...daemonEnv(dir, port, upstreamUrl), CCBRIDGE_LIMITS_IDLE_MS: String(3_600_000) };
  const cli = (argv) => execFileSync(process.execPath, [BIN, ...argv], { env, encoding: 'utf8' });
  const { id } = JSON.parse(cli(['add', 'a0', '--json']));
  cli(['config', 'set', 'routing', ROUTING]);
  const home = (accountId) => join(env.CCBRIDGE_HOME, 'accounts', accountId, 'codex-home');
  tokens.write(home(id));
  cli(['stop']);
  const file = join(env.CCBRIDGE_HOME, 'state.json');
  const state = JSON.parse(readFileSync(file, 'utf8'));
  for (let i = 1; i < count; i++) {
    const accountId = `x${String(i).padStart(7, '0')}`;
    state.accounts.push({ ...state.accounts[0], id: accountId, name: `a${i}` });
    mkdirSync(home(accountId), { recursive: true, mode: 0o700 });
    tokens.write(home(accountId));
  }
  writeFileSync(file, JSON.stringify(state));
  cli(['start']);
  const pid = JSON.parse(cli(['status', '--json'])).pid;
  const token = cli(['token']).trim();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return { count, port, pid, token, agent, cli, cpu: 0, ms: [] };
}

function ask(d, i) {
  const body = JSON.stringify({
    model: 'gpt-5.5',
    max_tokens: 50,
    stream: true,
    // Sessions come and go as Claude Code's do: sticky routing is part of the work.
    metadata: { user_id: `session-${i % 40}` },
    messages: [{ role: 'user', content: 'hi' }],
  });
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(
      {
        host: '127.0.0.1',
        port: d.port,
        method: 'POST',
        path: '/anthropic/v1/messages',
        agent: d.agent,
        headers: { authorization: `Bearer ${d.token}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('bench guard: no answer in 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ccb-many-'));
  const backend = await forkFakeBackend(dir);
  const { makeTokens, writeAuthJson } = await import(pathToFileURL(join(root, 'test/fakes/fakeCodexAuth.mjs')).href);
  const signedIn = makeTokens();
  const tokens = { write: (home) => writeAuthJson(home, signedIn) };
  const daemons = [];
  try {
    for (const count of [1, MANY]) {
      const sub = join(dir, `d${count}`);
      mkdirSync(sub);
      daemons.push(await daemonWith(sub, count, backend.url, tokens));
    }
    for (const d of daemons) await settled(d.pid);
    for (const d of daemons) for (let i = 0; i < 100; i++) await ask(d, i); // warm up
    for (let round = 0; round < ROUNDS; round++) {
      for (const d of daemons) {
        const before = cpuTicks(d.pid);
        for (let i = 0; i < PER_ROUND; i++) d.ms.push(await ask(d, i));
        d.cpu += cpuTicks(d.pid) - before;
      }
    }
    const requests = ROUNDS * PER_ROUND;
    const rows = daemons.map((d) => ({
      accounts: d.count,
      'CPU ms / request': +((d.cpu * 10) / requests).toFixed(2),
      'p50 ms': +percentile(d.ms, 50).toFixed(2),
      'p90 ms': +percentile(d.ms, 90).toFixed(2),
    }));
    const [one, many] = rows;
    const ratio = {
      cpu: +(many['CPU ms / request'] / one['CPU ms / request']).toFixed(2),
      p50: +(many['p50 ms'] / one['p50 ms']).toFixed(2),
    };
    if (args.includes('--json')) console.log(JSON.stringify({ routing: ROUTING, requests, rows, ratio }, null, 2));
    else {
      console.log(`routing ${ROUTING}, ${requests} requests per daemon in ${ROUNDS} alternating rounds`);
      console.table(rows);
      console.log(`${MANY}:1 accounts: CPU per request ${ratio.cpu}x, p50 ${ratio.p50}x`);
    }
  } finally {
    for (const d of daemons) {
      d.agent.destroy();
      try {
        d.cli(['stop']);
      } catch {
        // already down
      }
    }
    backend.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
