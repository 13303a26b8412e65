#!/usr/bin/env node
// Upstream bytes and time to first delta, HTTP vs the Responses WebSocket (issue 12 §2 benchmarks). A Claude
// Code–shaped conversation (the system prompt and tools of a real Claude Code request,
// test/fixtures/claude-code/mid-conversation-system.json: ≈68 KB) runs for --turns turns through the bridge app:
// every turn the backend reasons and calls Bash, the client appends the call and a ≈1.5 KB tool result, so the
// history grows as a tool-using session's does. The same conversation runs over `http` and over `websocket`
// against the fake Codex backend, alternating, --runs times each.
// Bytes per turn: the upstream request body (HTTP: JSON, and on the wire, zstd where this Node has it) or the
// `response.create` frame (JSON, and read off the socket: permessage-deflate and framing included). Headers and
// the one WebSocket handshake are left out. Time to first delta: from sending the Messages request to the first
// `content_block_delta` the client reads, everything in this one process (client, bridge, fake backend).
// Both for gpt-5.5 (tools as the `tools` field, re-sent in every frame as codex does) and for the catalogue's
// default gpt-6.1-sol (responses-lite: tools in an `additional_tools` input item, so a continued frame omits them).
// Usage: node bench/transport.mjs [--turns 50] [--runs 5] [--model gpt-5.5] [--json]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchBridgeApp, compileBridge, TOKEN } from './benchBridge.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const TURNS = opt('turns', 50);
const RUNS = opt('runs', 5);
const MODELS = args.includes('--model') ? [args[args.indexOf('--model') + 1]] : ['gpt-5.5', 'gpt-6.1-sol'];
const SESSION = '7b1c9a52-5d1e-4c8e-9a61-2f0d3c4b5a69';

/** A ≈1.5 KB tool result that differs per turn, like a file listing. */
const toolOutput = (turn) =>
  Array.from({ length: 30 }, (_, i) => `src/module${turn}/file${i}.ts  ${1000 + turn * 31 + i} bytes`).join('\n');

/** The backend as a model working a task: reasoning and a Bash call every turn, an answer at the last. */
function script(m, fake) {
  fake.respond((req) => {
    const turn = req.body.input.filter((i) => i.type === 'function_call_output').length + 1;
    const thinking = m.sse.reasoning(
      [`Step ${turn}: look at the next module.`],
      `gAAAA-bench-${turn}-${'x'.repeat(400)}`,
    );
    if (turn >= TURNS) return { kind: 'sse', events: m.sse.response([thinking, m.sse.message('Done.')]) };
    const call = m.sse.functionCall(
      'Bash',
      { command: `ls -l src/module${turn}`, description: 'List' },
      `call_${turn}`,
    );
    return { kind: 'sse', events: m.sse.response([thinking, call]) };
  });
}

/** The account's model list: the built-in one, or a responses-lite gpt-6.1-sol as the 0.169 catalogue has it. */
function catalogue(m, model) {
  if (model !== 'gpt-6.1-sol') return null;
  return [{ ...m.BUILTIN_MODELS[0], id: model, model, useResponsesLite: true }];
}

async function startBridge(m, fake, transport, model) {
  const app = benchBridgeApp(m, fake.url, { models: () => catalogue(m, model), settings: { transport } });
  const server = m.createAdaptorServer({ fetch: app.fetch });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/anthropic/v1/messages` };
}

/** Sends one streaming Messages request; returns the ms to the first delta and the assistant's content blocks. */
async function turn(url, body) {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      'x-claude-code-session-id': SESSION,
    },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`bridge answered ${res.status}: ${await res.text()}`);
  let ttfd = null;
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body) {
    text += decoder.decode(chunk, { stream: true });
    if (ttfd === null && text.includes('event: content_block_delta')) ttfd = performance.now() - t0;
  }
  // Rebuild the assistant turn from the stream, as the SDK would.
  const blocks = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: ')) continue;
    const ev = JSON.parse(line.slice(6));
    if (ev.type === 'content_block_start') blocks[ev.index] = { ...ev.content_block, partial: '' };
    if (ev.type === 'content_block_delta') {
      const b = blocks[ev.index];
      const d = ev.delta;
      if (d.type === 'text_delta') b.text += d.text;
      if (d.type === 'thinking_delta') b.thinking += d.thinking;
      if (d.type === 'signature_delta') b.signature = d.signature;
      if (d.type === 'input_json_delta') b.partial += d.partial_json;
    }
  }
  const content = blocks.map(({ partial, ...b }) =>
    b.type === 'tool_use' ? { ...b, input: partial ? JSON.parse(partial) : {} } : b,
  );
  return { ttfd, content };
}

async function conversation(m, transport, model) {
  const fake = await m.startFakeCodexBackend();
  fake.websocket = 'accept';
  script(m, fake);
  const bridge = await startBridge(m, fake, transport, model);
  const fixture = JSON.parse(
    readFileSync(join(root, 'test/fixtures/claude-code/mid-conversation-system.json'), 'utf8'),
  ).body;
  const base = { ...fixture, model, stream: true };
  const messages = [{ role: 'user', content: 'Go through every module and tell me what each one does.' }];
  const turns = [];
  try {
    for (let i = 1; i <= TURNS; i++) {
      const { ttfd, content } = await turn(bridge.url, { ...base, messages });
      const req = fake.requests.at(-1);
      const frame = transport === 'websocket' ? fake.frames.at(-1) : null;
      turns.push({
        ttfd,
        json: frame ? frame.bytes : Buffer.byteLength(JSON.stringify(req.body)),
        wire: frame ? frame.wireBytes : req.wireBytes,
        incremental: frame ? frame.frame.previous_response_id !== undefined : false,
      });
      const use = content.find((b) => b.type === 'tool_use');
      if (!use) break;
      messages.push({ role: 'assistant', content });
      messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: toolOutput(i) }] });
    }
  } finally {
    bridge.server.closeAllConnections?.();
    await new Promise((resolve) => bridge.server.close(resolve));
    await fake.close();
  }
  return turns;
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const kb = (n) => (n / 1024).toFixed(1);
const ms = (n) => n.toFixed(1);

async function measure(m, model) {
  const runs = { http: [], websocket: [] };
  for (let r = 0; r < RUNS; r++) {
    for (const transport of r % 2 ? ['websocket', 'http'] : ['http', 'websocket'])
      runs[transport].push(await conversation(m, transport, model));
  }
  const [http, ws] = [runs.http[0], runs.websocket[0]];
  const sum = (turns, key) => turns.reduce((s, t) => s + t[key], 0);
  const bytes = {
    turns: http.length,
    perTurn: http.map((h, i) => ({ turn: i + 1, http: h, websocket: ws[i] })),
    total: {
      http: { json: sum(http, 'json'), wire: sum(http, 'wire') },
      websocket: { json: sum(ws, 'json'), wire: sum(ws, 'wire') },
    },
    incrementalFrom: ws.findIndex((t) => t.incremental) + 1,
  };
  const ttfd = Object.fromEntries(
    Object.entries(runs).map(([transport, list]) => {
      const perRun = list.map((turns) => turns.map((t) => t.ttfd));
      const all = perRun.flat();
      return [
        transport,
        {
          p10: quantile(all, 0.1),
          p50: quantile(all, 0.5),
          p90: quantile(all, 0.9),
          runMedians: perRun.map((xs) => quantile(xs, 0.5)),
          lastTenMedians: list.map((turns) =>
            quantile(
              turns.slice(-10).map((t) => t.ttfd),
              0.5,
            ),
          ),
        },
      ];
    }),
  );
  return { model, bytes, ttfd };
}

function print({ model, bytes, ttfd }) {
  console.log(
    `\n## ${model}: upstream bytes per turn (${bytes.turns} turns, Node ${process.version}; KB = 1024 bytes)`,
  );
  console.log('turn | HTTP JSON | HTTP wire | WS JSON | WS wire | WS/HTTP JSON | WS/HTTP wire');
  const row = (label, h, w) =>
    console.log(
      `${label.padStart(5)} | ${kb(h.json).padStart(9)} | ${kb(h.wire).padStart(9)} | ${kb(w.json).padStart(7)} | ${kb(w.wire).padStart(7)} | ${(w.json / h.json).toFixed(3).padStart(12)} | ${(w.wire / h.wire).toFixed(3)}`,
    );
  for (const r of bytes.perTurn)
    if (r.turn <= 2 || r.turn % 10 === 0 || r.turn === bytes.turns) row(String(r.turn), r.http, r.websocket);
  row('total', bytes.total.http, bytes.total.websocket);
  console.log(`WebSocket frames incremental from turn ${bytes.incrementalFrom}`);
  console.log(`\n## ${model}: time to first delta (ms; ${RUNS} runs × ${bytes.turns} turns each, alternating)`);
  console.log('transport | p10 | p50 | p90 | per-run medians | per-run medians of the last 10 turns');
  for (const [name, s] of Object.entries(ttfd))
    console.log(
      `${name.padEnd(9)} | ${ms(s.p10)} | ${ms(s.p50)} | ${ms(s.p90)} | ${s.runMedians.map(ms).join(' ')} | ${s.lastTenMedians.map(ms).join(' ')}`,
    );
}

const dir = mkdtempSync(join(tmpdir(), 'ccb-transport-'));
try {
  const m = await compileBridge(dir);
  const results = [];
  for (const model of MODELS) results.push(await measure(m, model));
  if (args.includes('--json'))
    console.log(JSON.stringify({ node: process.version, turns: TURNS, runs: RUNS, results }, null, 2));
  else for (const r of results) print(r);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
