#!/usr/bin/env node
// Hostile soak of the shipped daemon, loopback only, in bounded rounds. Each round, at the same time:
//   good streams        ordinary requests that must keep working,
//   hostile upstream    hung before headers, silent after them, an HTML challenge page, an error body echoing
//                       the account's token,
//   hostile client      a foreign Host (DNS rebinding), JSON nested 100k deep, a body over the cap, a 27 MB body,
// while a probe measures /health every 20 ms (how long one client can stall the others). After every round the
// daemon's RSS; at the end RSS after 10 s idle, and checks that no token and no raw escape byte reached
// events.jsonl or daemon.log. Limits are shortened through the daemon's environment so a round takes seconds.
// Usage: node build.mjs && node bench/soak.mjs [--rounds N] [--json]
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BIN, compileBackend, daemonEnv, freePort, root, bridgeRequest } from './benchDaemon.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : dflt;
};
const ROUNDS = Math.min(50, Number(opt('rounds', '5')));
const GOOD_PER_ROUND = 40;
const ACCESS = 'SoakOpaqueAccessToken0123456789abcdef';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function rssMB(pid) {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

const request = (port, opts) => bridgeRequest(port, agent, opts, 30_000);

const ask = (marker, extra = {}) =>
  JSON.stringify({
    model: 'claude-sonnet-4-5',
    max_tokens: 50,
    stream: true,
    messages: [{ role: 'user', content: `MARK:${marker}` }],
    ...extra,
  });

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))] ?? 0;
};

/** The fake backend, in its own process so its parsing of a 27 MB body does not skew the probe's timings. */
async function backendRole() {
  const mod = await import(pathToFileURL(opt('bundle')).href);
  const backend = await mod.startFakeCodexBackend();
  const ok = mod.sse
    .response([mod.sse.message('fine')])
    .map(mod.frame)
    .join('');
  backend.handle((req, res) => {
    backend.requests.length = 0; // flat memory over the rounds
    const marker = /MARK:(\w+)/.exec(JSON.stringify(req.body).slice(0, 100_000))?.[1] ?? 'good';
    if (marker === 'hang') return; // never answers
    if (marker === 'silent') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      return void res.write(mod.frame(mod.sse.response([mod.sse.message('x')])[0]));
    }
    if (marker === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html><head><title>Just a moment...</title></head></html>');
    }
    if (marker === 'echo') {
      res.writeHead(400, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: { message: `bad: ${String(req.headers.authorization).slice(7)}` } }));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(ok);
  });
  process.send({ url: backend.url });
  process.on('disconnect', () => process.exit(0));
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ccb-soak-'));
  const child = fork(fileURLToPath(import.meta.url), ['--role=backend', `--bundle=${await compileBackend(dir)}`], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const backend = await new Promise((resolve) => child.once('message', resolve));
  const port = await freePort();
  const env = {
    ...daemonEnv(dir, port, backend.url),
    CCBRIDGE_UPSTREAM_HEADERS_MS: '1000',
    CCBRIDGE_UPSTREAM_IDLE_MS: '1500',
    CCBRIDGE_PING_MS: '200',
  };
  const cli = (argv) => execFileSync(process.execPath, [BIN, ...argv], { env, encoding: 'utf8' });
  const rounds = [];
  let pid = 0;
  try {
    const { id } = JSON.parse(cli(['add', 'soak', '--json']));
    const { makeTokens, writeAuthJson } = await import(pathToFileURL(join(root, 'test/fakes/fakeCodexAuth.mjs')).href);
    writeAuthJson(join(env.CCBRIDGE_HOME, 'accounts', id, 'codex-home'), {
      ...makeTokens({ chatgptAccountId: 'acct-soak' }),
      access_token: ACCESS,
    });
    const token = cli(['token']).trim();
    pid = JSON.parse(cli(['status', '--json'])).pid;
    const auth = { authorization: `Bearer ${token}` };
    const rssStart = rssMB(pid);
    const big = ask('good', { system: 'x'.repeat(27 * 1024 * 1024) });
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);

    for (let r = 0; r < ROUNDS; r++) {
      let probing = true;
      const health = [];
      const probe = (async () => {
        while (probing) {
          health.push((await request(port, { method: 'GET', path: '/health' })).ms);
          await sleep(20);
        }
      })();
      const unexpected = [];
      const expect = (what, want) => (res) => {
        if (!want(res)) unexpected.push(`${what}: ${res.status} ${res.text.slice(0, 120)}`);
        return res;
      };
      const good = Array.from({ length: GOOD_PER_ROUND }, () =>
        request(port, { headers: auth, body: ask('good') }).then(expect('good', (x) => x.status === 200)),
      );
      const hostile = [
        request(port, { headers: auth, body: ask('hang') }).then(expect('hang', (x) => /timeout_error/.test(x.text))),
        request(port, { headers: auth, body: ask('silent') }).then(
          expect('silent', (x) => /timeout_error/.test(x.text)),
        ),
        request(port, { headers: auth, body: ask('html') }).then(expect('html', (x) => /HTML page/.test(x.text))),
        request(port, { headers: auth, body: ask('echo') }).then(expect('echo', (x) => !x.text.includes(ACCESS))),
        request(port, { method: 'GET', path: '/health', headers: { host: 'evil.example' } }).then(
          expect('rebinding', (x) => x.status === 421),
        ),
        request(port, { headers: auth, body: deep }).then(expect('deep', (x) => x.status === 400)),
        request(port, { headers: { ...auth, 'content-length': String(40 * 1024 * 1024) }, body: '' }).then(
          expect('declared too large', (x) => x.status === 413),
        ),
      ];
      await sleep(200);
      const bigStarted = health.length;
      const bigRes = await request(port, { headers: auth, body: big }).then(expect('27 MB', (x) => x.status === 200));
      const duringBig = health.slice(bigStarted);
      const all = await Promise.all([...good, ...hostile]);
      probing = false;
      await probe;
      rounds.push({
        round: r + 1,
        goodP50: Math.round(
          percentile(
            all.slice(0, GOOD_PER_ROUND).map((x) => x.ms),
            50,
          ),
        ),
        bigMs: Math.round(bigRes.ms),
        healthMaxDuringBig: Math.round(Math.max(0, ...duringBig)),
        healthP99: Math.round(percentile(health, 99)),
        rssMB: rssMB(pid),
        unexpected,
      });
      if (!args.includes('--json')) process.stderr.write(`round ${r + 1}/${ROUNDS} done\n`);
    }
    await sleep(10_000);
    const rssIdle = rssMB(pid);
    cli(['stop']);
    pid = 0;
    const paths = [join(env.CCBRIDGE_HOME, 'events.jsonl'), join(env.CCBRIDGE_HOME, 'run', 'daemon.log')];
    const leaks = paths.filter((p) => {
      const text = readFileSync(p, 'utf8');
      return text.includes(ACCESS) || text.includes(token) || /\u001b/.test(text);
    });
    const result = { rounds, rssStart, rssIdleAfter10s: rssIdle, leaks };
    if (args.includes('--json')) console.log(JSON.stringify(result, null, 2));
    else {
      console.table(rounds.map(({ unexpected, ...row }) => ({ ...row, unexpected: unexpected.length })));
      console.log(`RSS: start ${rssStart} MB, 10 s idle after the last round ${rssIdle} MB`);
      for (const r of rounds) for (const u of r.unexpected) console.log(`round ${r.round} unexpected: ${u}`);
      console.log(
        leaks.length ? `LEAKS in ${leaks.join(', ')}` : 'no token or escape byte in events.jsonl or daemon.log',
      );
    }
    if (leaks.length || rounds.some((r) => r.unexpected.length)) process.exitCode = 1;
  } finally {
    if (pid) {
      try {
        cli(['stop']);
      } catch {
        // already down
      }
    }
    agent.destroy();
    child.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (opt('role', '') === 'backend') await backendRole();
else await main();
