#!/usr/bin/env node
// How long one client's 27 MB request holds the others up (issue 14.9). The built daemon serves a 27 MB
// /anthropic/v1/messages body again and again while a probe asks /health back to back, one at a time; for each
// large body the probe's slowest answer during it is that body's stall. Two shapes: one 27 MB string (a pasted
// file) and a long conversation (thousands of tool calls and results, the shape that costs the most to validate,
// translate and serialize). The fake backend runs in its own process and the probe in a thread of its own, so
// neither the backend's parsing nor the sending of the large body here skews the probe.
// Usage: node build.mjs && node bench/largeBody.mjs [--rounds=N] [--json]   (the daemon runs on this node)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  addBenchAccount,
  BIN,
  bridgeRequest,
  daemonEnv,
  forkFakeBackend,
  freePort,
  percentile,
} from './benchDaemon.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const ROUNDS = Math.min(50, Number(opt('rounds', '8')));
const SIZE = 27 * 1024 * 1024;

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

const request = (port, opts) => bridgeRequest(port, agent, opts);

const base = { model: 'gpt-5.5', max_tokens: 50, stream: true };

/** One 27 MB string: cheap to validate, costly to copy and serialize. */
function oneString() {
  return JSON.stringify({ ...base, system: 'x'.repeat(SIZE), messages: [{ role: 'user', content: 'hi' }] });
}

/** A long agent conversation: thousands of tool calls and results. */
function conversation() {
  const text = 'lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(60);
  const messages = [{ role: 'user', content: 'start' }];
  let size = 0;
  for (let i = 0; size < SIZE; i++) {
    const turn = [
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: `toolu_${i}`, name: 'Read', input: { path: `/x/${i}` } }],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${i}`, content: `${text}${i}` }] },
    ];
    size += JSON.stringify(turn).length;
    messages.push(...turn);
  }
  messages.push({ role: 'user', content: 'go on' });
  const tools = [{ name: 'Read', description: 'read a file', input_schema: { type: 'object', properties: {} } }];
  return JSON.stringify({ ...base, tools, messages });
}

/**
 * /health asked back to back, one at a time, on a thread of its own; `stop()` resolves with the slowest answer
 * since `start()`.
 */
function startProbe(port) {
  const code = `
    const http = require('node:http');
    const { parentPort, workerData } = require('node:worker_threads');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let probing = false;
    let worst = 0;
    const once = () => new Promise((resolve) => {
      const t0 = performance.now();
      http.get({ host: '127.0.0.1', port: workerData.port, path: '/health', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - t0));
      }).on('error', () => resolve(performance.now() - t0));
    });
    parentPort.on('message', async (m) => {
      if (m === 'stop') return void (probing = false);
      probing = true;
      worst = 0;
      parentPort.postMessage('started');
      while (probing) worst = Math.max(worst, await once());
      parentPort.postMessage(worst);
    });
  `;
  const w = new Worker(code, { eval: true, workerData: { port } });
  const next = () => new Promise((resolve) => w.once('message', resolve));
  return {
    start: async () => {
      const started = next();
      w.postMessage('start');
      await started;
    },
    stop: async () => {
      const worst = next();
      w.postMessage('stop');
      return worst;
    },
    close: () => w.terminate(),
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ccb-large-'));
  const backend = await forkFakeBackend(dir);
  const port = await freePort();
  const env = daemonEnv(dir, port, backend.url);
  const cli = (argv) => execFileSync(process.execPath, [BIN, ...argv], { env, encoding: 'utf8' });
  let started = false;
  let probe = null;
  try {
    started = true; // `add` starts the daemon: stopped at the end whatever happens (a stop that finds none is fine)
    addBenchAccount(cli, env);
    const auth = { authorization: `Bearer ${cli(['token']).trim()}` };
    const rows = [];
    probe = startProbe(port);
    for (const [shape, make] of [
      ['one 27 MB string', oneString],
      ['27 MB conversation', conversation],
    ]) {
      const body = Buffer.from(make());
      const quiet = [];
      for (let i = 0; i < 50; i++) quiet.push((await request(port, { method: 'GET', path: '/health' })).ms);
      const stalls = [];
      const bigMs = [];
      for (let r = 0; r < ROUNDS; r++) {
        await probe.start();
        const big = await request(port, { headers: auth, body });
        const worst = await probe.stop();
        if (big.status !== 200) throw new Error(`${shape}: HTTP ${big.status}`);
        stalls.push(worst);
        bigMs.push(big.ms);
        await new Promise((r) => setTimeout(r, 700)); // the memory release after a large body is not measured
      }
      rows.push({
        shape,
        'quiet /health p50 ms': +percentile(quiet, 50).toFixed(1),
        'stall p50 ms': Math.round(percentile(stalls, 50)),
        'stall max ms': Math.round(Math.max(...stalls)),
        'stall min ms': Math.round(Math.min(...stalls)),
        'large request p50 ms': Math.round(percentile(bigMs, 50)),
      });
      if (!args.includes('--json')) process.stderr.write(`${shape}: done\n`);
    }
    if (args.includes('--json')) console.log(JSON.stringify({ node: process.version, rounds: ROUNDS, rows }, null, 2));
    else {
      console.log(`node ${process.version}, ${ROUNDS} large bodies per shape; stall = slowest /health during one`);
      console.table(rows);
    }
  } finally {
    if (started) {
      try {
        cli(['stop']);
      } catch {
        // already down
      }
    }
    await probe?.close();
    agent.destroy();
    backend.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
