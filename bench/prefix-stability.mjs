#!/usr/bin/env node
// Prompt-cache friendliness of the bridge's upstream requests (issue 12 §3): over a recorded real Claude Code
// session, the fraction of each request's upstream prompt (tools, then input items, as serialized on the wire)
// that is a byte-identical prefix of the next request's in the same conversation thread. Target: 100 %
// between compactions. Also reports the upstream body bytes and what zstd saves on them.
//
// Usage:
//   node bench/prefix-stability.mjs [--session test/fixtures/claude-code/session.json] [--lite] [--json]
// --lite measures with a responses-lite model (gpt-6.1-sol: tools in an `additional_tools` input item).
//   node bench/prefix-stability.mjs --record test/fixtures/claude-code/session.json
// --record runs the real `claude` (node_modules/.bin/claude) for three user turns (the second spawning a
// subagent) against the bridge app and a scripted fake Codex backend (tool calls with reasoning), and saves
// Claude Code's requests to the bridge (bodies and the headers that matter) as the session fixture.
// The TypeScript sources are compiled with esbuild into a temp dir first (no build step needed).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { benchBridgeApp, compileBridge, src, TOKEN } from './benchBridge.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const SESSION_FIXTURE = join(root, 'test/fixtures/claude-code/session.json');
/** The request headers that decide the upstream thread (sessionKey.ts, messagesRoute.ts). */
const KEPT_HEADERS = ['x-claude-code-session-id', 'x-claude-code-agent-id', 'anthropic-beta', 'user-agent'];

/** The bridge and the fake backend, with the prefix measurement of test/helpers/prefixStability.ts. */
const compile = (outdir) =>
  compileBridge(
    outdir,
    [`export { prefixStability, upstreamBodies } from ${src('test/helpers/prefixStability.ts')};`],
    { splitting: true },
  );

// ---------- record: the real claude against the bridge and a scripted backend ----------

/** Replies like a model working a task: reasoning, three Bash calls, an answer; the second turn delegates first. */
function scriptBackend(m, fake) {
  let n = 0;
  const reply = (res, items) => {
    n += 1;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(
      m.sse
        .response(items, { id: `resp_${n}` })
        .map(m.frame)
        .join(''),
    );
  };
  const thinking = () => m.sse.reasoning([`step ${n}`], `gAAAA-bench-${n}`, `rs_${n}`);
  const bash = (command, callId) => m.sse.functionCall('Bash', { command, description: 'echo' }, callId);
  fake.handle((req, res) => {
    const input = req.body.input ?? [];
    const tools = JSON.stringify(req.body.tools ?? input.find((i) => i.type === 'additional_tools') ?? []);
    // Claude Code's side calls (titles, summaries) come without its tools.
    if (!tools.includes('"Bash"')) return reply(res, [m.sse.message('Bridge session')]);
    const calls = input.filter((i) => i.type === 'function_call');
    if (req.headers['x-openai-subagent'])
      return calls.length
        ? reply(res, [m.sse.message('Subagent done.')])
        : reply(res, [thinking(), bash('echo sub', `call_sub_${n}`)]);
    const said = (prefix) =>
      input.filter((i) => i.role === 'assistant' && JSON.stringify(i.content).includes(prefix)).length;
    const doneTurns = said('Turn ');
    const bashThisTurn = calls.filter((c) => c.name === 'Bash').length - 3 * doneTurns;
    if (doneTurns === 1 && !calls.some((c) => c.name === 'Agent')) {
      const task = { description: 'echo helper', prompt: 'Run echo sub and report.', subagent_type: 'general-purpose' };
      return reply(res, [thinking(), m.sse.functionCall('Agent', task, `call_agent_${n}`)]);
    }
    if (bashThisTurn < 3) return reply(res, [thinking(), bash(`echo step-${doneTurns}-${bashThisTurn}`, `call_${n}`)]);
    return reply(res, [thinking(), m.sse.message(`Turn ${doneTurns + 1} done.`)]);
  });
}

async function record(out) {
  const dir = mkdtempSync(join(tmpdir(), 'ccb-prefix-'));
  const m = await compile(dir);
  const fake = await m.startFakeCodexBackend();
  scriptBackend(m, fake);
  const app = benchBridgeApp(m, fake.url);
  const requests = [];
  const server = m.createAdaptorServer({
    fetch: async (req) => {
      if (req.method === 'POST' && new URL(req.url).pathname.endsWith('/v1/messages')) {
        const headers = Object.fromEntries(
          KEPT_HEADERS.filter((k) => req.headers.has(k)).map((k) => [k, req.headers.get(k)]),
        );
        requests.push({ headers, body: JSON.parse(await req.clone().text()) });
      }
      return app.fetch(req);
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const home = join(dir, 'home');
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    ANTHROPIC_BASE_URL: `http://127.0.0.1:${server.address().port}/anthropic`,
    ANTHROPIC_AUTH_TOKEN: TOKEN,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_MAX_RETRIES: '1',
  };
  const claude = (argv) =>
    new Promise((resolve, reject) => {
      const child = spawn(join(root, 'node_modules/.bin/claude'), argv, {
        env,
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 180_000,
      });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (out += c));
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`claude exited ${code}: ${out}`))));
    });
  const session = '5e551017-0000-4000-8000-00000000b3c4';
  const common = ['--output-format', 'json', '--allowedTools', 'Bash', 'Agent'];
  try {
    await claude(['-p', 'Run three echo steps with Bash.', '--session-id', session, ...common]);
    await claude([
      '-p',
      'Now delegate one echo to a subagent, then three more echo steps.',
      '--resume',
      session,
      ...common,
    ]);
    await claude(['-p', 'Three last echo steps, please.', '--resume', session, ...common]);
  } finally {
    server.closeAllConnections();
    server.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const fixture = {
    _note:
      "Recorded by bench/prefix-stability.mjs --record: the real Claude Code (node_modules/.bin/claude) for three user turns (-p, --resume; the second spawns a subagent) against the bridge app and a scripted fake Codex backend. Claude Code's requests to the bridge, in order; token fake.",
    requests,
  };
  writeFileSync(out, `${JSON.stringify(fixture)}\n`);
  console.log(`recorded ${requests.length} requests into ${out}`);
}

// ---------- measure ----------

async function measure(file) {
  const dir = mkdtempSync(join(tmpdir(), 'ccb-prefix-'));
  const m = await compile(dir);
  rmSync(dir, { recursive: true, force: true });
  const { requests } = JSON.parse(readFileSync(file, 'utf8'));
  // The catalogue default (gpt-5.5 in the built-in list), or a responses-lite model: tools then in the input.
  const lite = { ...m.BUILTIN_MODELS[0], id: 'gpt-6.1-sol', model: 'gpt-6.1-sol', useResponsesLite: true };
  const catalogue = args.includes('--lite') ? [lite] : m.BUILTIN_MODELS;
  const rows = m.prefixStability(requests, catalogue);
  let identity = 0;
  let zstd = 0;
  const perRequest = [];
  if (zlib.zstdCompressSync)
    for (const { body } of m.upstreamBodies(requests, catalogue)) {
      const json = Buffer.from(JSON.stringify(body));
      const packed = zlib.zstdCompressSync(json).length;
      identity += json.length;
      zstd += packed;
      perRequest.push({ identity: json.length, zstd: packed });
    }
  const savedEach = perRequest.map((r) => 1 - r.zstd / r.identity);
  const kept = rows.map((r) => r.kept);
  const result = {
    model: catalogue[0].id,
    requests: requests.length,
    pairs: rows.length,
    minKept: Math.min(...kept),
    meanKept: kept.reduce((a, b) => a + b, 0) / kept.length,
    zstd: identity
      ? {
          identityBytes: identity,
          zstdBytes: zstd,
          saved: 1 - zstd / identity,
          savedMin: Math.min(...savedEach),
          savedMax: Math.max(...savedEach),
          first: perRequest[0],
        }
      : null,
    rows,
  };
  if (args.includes('--json')) return console.log(JSON.stringify(result, null, 2));
  console.log(
    `prefix stability, ${requests.length} recorded Claude Code requests, ${rows.length} pairs, ${result.model}`,
  );
  console.log('| from → to | thread | prev prompt bytes | shared prefix bytes | prefix kept |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.from} → ${r.to} | ${r.thread} | ${r.prevBytes} | ${r.sharedBytes} | ${(100 * r.kept).toFixed(2)} % |`,
    );
  console.log(`min ${(100 * result.minKept).toFixed(2)} %, mean ${(100 * result.meanKept).toFixed(2)} %`);
  if (result.zstd)
    console.log(
      `upstream bodies: ${identity} bytes identity, ${zstd} zstd (${(100 * result.zstd.saved).toFixed(1)} % saved; ` +
        `per request ${(100 * result.zstd.savedMin).toFixed(1)}–${(100 * result.zstd.savedMax).toFixed(1)} %; ` +
        `first request ${result.zstd.first.identity} → ${result.zstd.first.zstd} bytes)`,
    );
  else console.log('upstream bodies: this Node has no zstd (run with Node >= 22.15 for the compression figures)');
}

if (opt('record')) await record(opt('record'));
else await measure(opt('session') ?? SESSION_FIXTURE);
