import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CODEX } from '../helpers/codexTestKit.js';
import { frame, sse, startFakeCodexBackend, type FakeCodexBackend } from '../fakes/codexBackend.js';
import { makeTokens, writeAuthJson } from '../fakes/fakeCodexAuth.mjs';
import { daemonPid, makeHome, ok, okJson, type TestHome } from '../helpers/cli.js';

// 14.9: a client sending a 27 MB conversation held every other client of the built daemon for hundreds of ms
// (parsing, validating, translating and serializing it on the event loop). Now a large request is prepared on a
// worker thread: another client's /health keeps answering meanwhile, and the daemon's main thread spends little
// of the CPU the request costs. The probe runs on a thread of its own, so this process's work on the large body
// and the fake backend's parsing of it do not count against the daemon.

let h: TestHome;
let backend: FakeCodexBackend;
let token = '';

beforeAll(async () => {
  backend = await startFakeCodexBackend();
  const answer = sse
    .response([sse.message('fine')])
    .map(frame)
    .join('');
  backend.handle((_req, res) => {
    backend.requests.length = 0; // 27 MB each: keep none
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(answer);
  });
  h = await makeHome({ CCBRIDGE_CODEX_BIN: FAKE_CODEX, CCBRIDGE_UPSTREAM_URL: backend.url });
  const { id } = (await okJson(h, ['add', 'work'])) as { id: string };
  writeAuthJson(join(h.env.CCBRIDGE_HOME!, 'accounts', id, 'codex-home'), makeTokens());
  token = (await ok(h, ['token'])).trim();
}, 60_000);

afterAll(async () => {
  await h?.cleanup();
  await backend?.close();
});

/** A long agent conversation of ~27 MB: thousands of tool calls and results (costly to validate and translate). */
function conversation(): Buffer {
  const text = 'lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(60);
  const messages: unknown[] = [{ role: 'user', content: 'start' }];
  for (let i = 0; i < 7800; i++)
    messages.push(
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: `toolu_${i}`, name: 'Read', input: { path: `/x/${i}` } }],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${i}`, content: `${text}${i}` }] },
    );
  messages.push({ role: 'user', content: 'go on' });
  return Buffer.from(JSON.stringify({ model: 'gpt-5.5', max_tokens: 50, stream: true, messages }));
}

function post(body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `http://127.0.0.1:${h.port}/anthropic/v1/messages`,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** /health back to back on its own thread until `stop()`, which resolves with the slowest answer (ms). */
function probeHealth(port: number): { stop(): Promise<number> } {
  const worker = new Worker(
    `const http = require('node:http');
     const { parentPort, workerData } = require('node:worker_threads');
     const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
     let probing = true;
     let worst = 0;
     parentPort.on('message', () => (probing = false));
     const once = () => new Promise((resolve) => {
       const t0 = performance.now();
       http.get({ host: '127.0.0.1', port: workerData.port, path: '/health', agent }, (res) => {
         res.resume();
         res.on('end', () => resolve(performance.now() - t0));
       }).on('error', () => resolve(60_000));
     });
     (async () => {
       while (probing) worst = Math.max(worst, await once());
       parentPort.postMessage(worst);
     })();`,
    { eval: true, workerData: { port } },
  );
  return {
    async stop() {
      const worst = new Promise<number>((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      const ms = await worst;
      await worker.terminate();
      return ms;
    },
  };
}

/** CPU time (user + system, clock ticks) of the whole process, and of its main thread alone. */
function cpuTicks(pid: number): { all: number; main: number } {
  const ticks = (file: string) => {
    const stat = readFileSync(file, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  return { all: ticks(`/proc/${pid}/stat`), main: ticks(`/proc/${pid}/task/${pid}/stat`) };
}

describe('a 27 MB request', () => {
  it('leaves other clients answered and the main thread mostly idle', async () => {
    const body = conversation();
    const pid = daemonPid(h)!;
    expect(await post(body)).toBe(200); // starts the worker
    const before = cpuTicks(pid);
    const stalls: number[] = [];
    for (let i = 0; i < 3; i++) {
      const probe = probeHealth(h.port);
      expect(await post(body)).toBe(200);
      stalls.push(await probe.stop());
    }
    const after = cpuTicks(pid);
    const main = after.main - before.main;
    const all = after.all - before.all;
    console.log(`stalls ${stalls.map(Math.round).join(', ')} ms; main thread ${main} of ${all} ticks`);
    // On the event loop the main thread did nearly all of the work, and /health waited 100-500 ms each time.
    // What stays here is reading and sending the bytes (socket I/O, copies), spread over many small steps.
    expect(main).toBeLessThan(all * 0.55);
    expect(Math.min(...stalls)).toBeLessThan(100);
    expect(Math.max(...stalls)).toBeLessThan(500);
    // The worker does not hold the daemon: it stops as promptly as one that never had a large request.
    const t0 = Date.now();
    await ok(h, ['stop']);
    expect(Date.now() - t0).toBeLessThan(10_000);
  }, 120_000);
});
