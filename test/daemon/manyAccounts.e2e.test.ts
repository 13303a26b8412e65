import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CODEX } from '../codex/codexTestKit.js';
import { startFakeCodexBackend, type FakeCodexBackend } from '../fakes/codexBackend.js';
import { makeTokens, writeAuthJson } from '../fakes/fakeCodexAuth.mjs';
import { daemonPid, makeHome, ok, okJson, type TestHome } from '../helpers/cli.js';

// 14.13: with 500 accounts every bridge request did a stat (and a parse) per account. The daemon's CPU per
// request must not grow with the number of accounts it holds. Two daemons, one with 1 account and one with 500,
// serve requests in alternating rounds and their CPU time (not latency) is compared, so other load on the machine
// weighs on both alike.

let backend: FakeCodexBackend;
const homes: TestHome[] = [];
const agent = new http.Agent({ keepAlive: true });

interface Daemon {
  port: number;
  token: string;
  pid: number;
}

async function daemonWith(accounts: number): Promise<Daemon> {
  const h = await makeHome({ CCBRIDGE_CODEX_BIN: FAKE_CODEX, CCBRIDGE_UPSTREAM_URL: backend.url });
  homes.push(h);
  const { id } = (await okJson(h, ['add', 'work'])) as { id: string };
  writeAuthJson(join(h.env.CCBRIDGE_HOME!, 'accounts', id, 'codex-home'), makeTokens());
  const token = (await ok(h, ['token'])).trim();
  if (accounts > 1) {
    // The others (never connected) are seeded while the daemon is down: adding them one by one is slow.
    await ok(h, ['stop']);
    const file = join(h.env.CCBRIDGE_HOME!, 'state.json');
    const state = JSON.parse(readFileSync(file, 'utf8'));
    for (let i = 1; i < accounts; i++)
      state.accounts.push({ ...state.accounts[0], id: `x${String(i).padStart(7, '0')}`, name: `extra-${i}` });
    writeFileSync(file, JSON.stringify(state));
    await ok(h, ['start']);
  }
  expect((await okJson<{ accounts: unknown[] }>(h, ['list'])).accounts).toHaveLength(accounts);
  return { port: h.port, token, pid: daemonPid(h)! };
}

beforeAll(async () => {
  backend = await startFakeCodexBackend();
}, 60_000);

afterAll(async () => {
  agent.destroy();
  for (const h of homes) await h.cleanup();
  await backend?.close();
});

function ask(d: Daemon): Promise<void> {
  const body = JSON.stringify({
    model: 'gpt-5.5',
    max_tokens: 50,
    stream: true,
    messages: [{ role: 'user', content: 'hi' }],
  });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `http://127.0.0.1:${d.port}/anthropic/v1/messages`,
      { method: 'POST', agent, headers: { authorization: `Bearer ${d.token}`, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The process's CPU time (user + system), in clock ticks. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

describe('500 accounts', () => {
  it('cost no more per request than one', async () => {
    const one = await daemonWith(1);
    const many = await daemonWith(500);
    const spent = new Map<Daemon, number>([
      [one, 0],
      [many, 0],
    ]);
    for (const d of [one, many]) for (let i = 0; i < 100; i++) await ask(d); // warm
    for (let round = 0; round < 6; round++) {
      for (const d of [one, many]) {
        const before = cpuTicks(d.pid);
        for (let i = 0; i < 50; i++) await ask(d);
        spent.set(d, spent.get(d)! + cpuTicks(d.pid) - before);
      }
    }
    // Before: ~3x and more. What is left is the router's pass over the account list and work done per change rather
    // than per request (the statusline file is rewritten from the whole view twice a second while requests flow).
    expect(spent.get(many)!).toBeLessThan(spent.get(one)! * 2.5);
  }, 120_000);
});
