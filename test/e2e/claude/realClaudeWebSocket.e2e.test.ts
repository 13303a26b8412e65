import { peerBin } from '../../peers/testPeers.mjs';
import type Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  sse,
  usageLimitBody,
  type FakeCodexBackend,
  type FrameItem,
  type RecordedRequest,
} from '../../fakes/codexBackend.js';
import { bridgeClient, ok, okJson, run, type TestHome } from '../../helpers/cli.js';
import { addConnectedAccount, realClaudeHome } from '../../helpers/realClaudeHome.js';

// The built daemon with its default transport (`auto`: the Responses WebSocket) against the fake backend's
// WebSocket side: the real Claude Code CLI over several turns, the official SDK, and codex's fallback to HTTP.

const CLAUDE = peerBin('claude');
let h: TestHome;
let backend: FakeCodexBackend;
let sdk: Anthropic;

const inputOf = (r: RecordedRequest) => (r.body as { input: FrameItem[] }).input;
const hasOutput = (r: RecordedRequest, marker: string) =>
  inputOf(r).some((i) => i.type === 'function_call_output' && JSON.stringify(i.output).includes(marker));
const lastUserText = (r: RecordedRequest) =>
  JSON.stringify(
    inputOf(r)
      .filter((i) => i.type === 'message' && i.role === 'user')
      .at(-1) ?? {},
  );

beforeAll(async () => {
  ({ h, backend } = await realClaudeHome(CLAUDE));
  for (const name of ['work', 'spare'])
    await addConnectedAccount(h, name, 'gpt-5.5', { chatgptAccountId: `acct-${name}`, email: `${name}@example.com` });
  await ok(h, ['use', 'work']);
  sdk = await bridgeClient(h);
}, 60_000);

afterAll(async () => {
  await h.cleanup();
  await backend.close();
});

describe('the daemon over the Responses WebSocket', () => {
  it('real Claude Code, several turns: one connection, the 2nd request on sends previous_response_id + new items', async () => {
    backend.websocket = 'accept';
    backend.requests.length = 0;
    backend.frames.length = 0;
    backend.respond((req) => {
      if (hasOutput(req, 'ws-second-ok'))
        return { kind: 'sse', events: sse.response([sse.message('Both commands printed their markers.')]) };
      if (hasOutput(req, 'ws-first-ok'))
        return {
          kind: 'sse',
          events: sse.response([
            sse.functionCall('Bash', { command: 'echo ws-second-ok', description: 'Second marker' }, 'call_ws2'),
          ]),
        };
      if (lastUserText(req).includes('run the markers'))
        return {
          kind: 'sse',
          events: sse.response([
            sse.reasoning(['Two commands to run.'], 'gAAAA-ws-reasoning'),
            sse.functionCall('Bash', { command: 'echo ws-first-ok', description: 'First marker' }, 'call_ws1'),
          ]),
        };
      return { kind: 'sse', events: sse.response([sse.message('ok')]) };
    });
    const r = await run(
      h,
      ['claude', '-p', 'Please run the markers.', '--output-format', 'json', '--allowedTools', 'Bash'],
      { timeoutMs: 90_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ is_error: false, result: 'Both commands printed their markers.' });
    expect(backend.requests.every((q) => q.method === 'WS')).toBe(true);

    // The conversation's three turns, in order, on one connection.
    const turns = backend.frames.filter((f) => JSON.stringify(f.fullInput).includes('run the markers'));
    expect(turns).toHaveLength(3);
    expect(new Set(turns.map((t) => t.connection)).size).toBe(1);
    expect(turns[0]!.frame.previous_response_id).toBeUndefined();
    for (const i of [1, 2]) {
      const t = turns[i]!;
      expect(t.frame.previous_response_id, `turn ${i + 1}`).toBe(turns[i - 1]!.responseId);
      // Only what Claude Code added: the tool's output (and nothing of the system prompt or earlier turns).
      expect(t.frame.input.map((x) => x.type)).toEqual(['function_call_output']);
    }
    // What the backend saw equals what HTTP would have sent: the first input + the replayed items + the output.
    expect(turns[2]!.fullInput.map((x) => x.type).slice(-5)).toEqual([
      'reasoning',
      'function_call',
      'function_call_output',
      'function_call',
      'function_call_output',
    ]);
  }, 120_000);

  it('the SDK: streaming and non-streaming answers, and a wrapped 429 moves to the next account', async () => {
    backend.websocket = 'accept';
    backend.respond(null);
    backend.requests.length = 0;
    backend.script({ kind: 'sse', events: sse.response([sse.message(['stre', 'amed'])]) });
    const streamed = await sdk.messages
      .stream({ model: 'ccbridge-sonnet', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    expect(streamed.content).toEqual([{ type: 'text', text: 'streamed', citations: null }]);

    await ok(h, ['config', 'set', 'routing', 'failover']);
    backend.script(
      { kind: 'json', status: 429, body: usageLimitBody(Math.floor(Date.now() / 1000) + 3600) },
      { kind: 'sse', events: sse.response([sse.message('from spare')]) },
    );
    const moved = await sdk.messages.create({
      model: 'ccbridge-sonnet',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi again' }],
    });
    expect(moved.content).toEqual([{ type: 'text', text: 'from spare', citations: null }]);
    expect(backend.requests.map((q) => [q.method, q.headers['chatgpt-account-id']])).toEqual([
      ['WS', 'acct-work'],
      ['WS', 'acct-work'],
      ['WS', 'acct-spare'],
    ]);
    const limits = await okJson(h, ['limits']);
    expect(JSON.stringify(limits)).toContain('42');
  }, 60_000);

  // Last: a 426 sends this daemon's requests over HTTP for an hour.
  it('falls back to HTTP when the upgrade is refused (426), and real Claude Code does not notice', async () => {
    backend.websocket = 'refuse';
    backend.requests.length = 0;
    backend.upgrades.length = 0;
    backend.respond(() => ({ kind: 'sse', events: sse.response([sse.message('over http')]) }));
    const r = await run(h, ['claude', '-p', 'hello', '--output-format', 'json'], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ is_error: false, result: 'over http' });
    expect(backend.upgrades).toHaveLength(1);
    expect(backend.requests.length).toBeGreaterThan(0);
    expect(backend.requests.every((q) => q.method === 'POST')).toBe(true);
  }, 120_000);
});
