import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UpstreamFailure } from '../../../src/translate/upstreamErrors.js';
import { sse, usageLimitBody } from '../../fakes/codexBackend.js';
import { abortAtFirstText, startBridge, TOKEN, type BridgeHarness } from '../../helpers/bridgeHarness.js';
import { until } from '../../helpers/until.js';

// The Responses WebSocket transport through the bridge on a real HTTP server, the official SDK in front and the
// fake backend's WebSocket side (which keeps the last response per connection, as the real one does) behind.

let h: BridgeHarness;
/** A new Claude Code session per test, so no test inherits another's connection. */
let SESSION: string;
let client: Anthropic;
let sessions = 0;
const failed: Array<{ accountId: string; kind: UpstreamFailure['kind']; next: string | null }> = [];

beforeAll(async () => {
  h = await startBridge({
    pingIntervalMs: 60,
    upstreamIdleMs: 2000,
    hooks: { onAttemptFailed: (accountId, f, next) => failed.push({ accountId, kind: f.kind, next }) },
  });
});

function sessionClient(session: string): Anthropic {
  return new Anthropic({
    baseURL: h.baseUrl,
    authToken: TOKEN,
    apiKey: null,
    maxRetries: 0,
    defaultHeaders: { 'x-claude-code-session-id': session },
  });
}
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.reset();
  h.state.settings.transport = 'websocket';
  h.backend.websocket = 'accept';
  h.backend.frames.length = 0;
  h.backend.upgrades.length = 0;
  failed.length = 0;
  SESSION = `5a5b5c5d-0b0a-4908-8706-${String(++sessions).padStart(12, '0')}`;
  client = sessionClient(SESSION);
});

const base = { model: 'claude-opus-4-5', max_tokens: 1024 };
const tools: Anthropic.Tool[] = [
  { name: 'Bash', description: 'Run a command', input_schema: { type: 'object', properties: { command: {} } } },
];

/** The second turn of a conversation whose first answer `first` called Bash: the call's result. */
const toolResultTurn = (first: Anthropic.Message): Anthropic.MessageCreateParamsNonStreaming => ({
  ...base,
  tools,
  messages: [
    { role: 'user', content: 'list' },
    { role: 'assistant', content: first.content },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_b1', content: 'a\nb' }] },
  ],
});

/** Two turns of one conversation: a Bash call, then the answer after its result. */
async function toolRoundTrip(c: Anthropic = client): Promise<Anthropic.Message> {
  h.backend.script(
    { kind: 'sse', events: sse.response([sse.functionCall('Bash', { command: 'ls' }, 'call_b1')]) },
    { kind: 'sse', events: sse.response([sse.message('two files')]) },
  );
  const first = await c.messages
    .stream({ ...base, tools, messages: [{ role: 'user', content: 'list' }] })
    .finalMessage();
  expect(first.stop_reason).toBe('tool_use');
  return c.messages.create(toolResultTurn(first));
}

describe('WebSocket transport', () => {
  it('streams over one WebSocket with the handshake codex sends; no HTTP request', async () => {
    h.backend.script({ kind: 'sse', events: sse.response([sse.message(['Hel', 'lo'])]) });
    const msg = await client.messages.stream({ ...base, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    expect(msg.content).toEqual([{ type: 'text', text: 'Hello', citations: null }]);
    expect(h.backend.upgrades).toHaveLength(1);
    const hs = h.backend.upgrades[0]!;
    expect(hs).toMatchObject({
      'openai-beta': 'responses_websockets=2026-02-06',
      authorization: 'Bearer access-acct1-0',
      'chatgpt-account-id': 'chatgpt-acct1',
      originator: 'codex_cli_rs',
      'session-id': SESSION,
      'thread-id': SESSION,
      version: '0.169.0',
    });
    expect(hs['sec-websocket-extensions']).toContain('permessage-deflate');
    expect(hs.accept).toBeUndefined();
    expect(h.backend.frames).toHaveLength(1);
    const f = h.backend.frames[0]!.frame;
    expect(Object.keys(f)[0]).toBe('type');
    expect(f).toMatchObject({ type: 'response.create', stream: true, store: false, prompt_cache_key: SESSION });
    expect(f.previous_response_id).toBeUndefined();
    expect(h.backend.requests.map((r) => r.method)).toEqual(['WS']);
    // Limits come from the codex.rate_limits event, read like the HTTP headers.
    expect(h.upstreamHeaders.some((u) => u.headers['x-codex-primary-used-percent'] === '42')).toBe(true);
    await until(() => h.outcomes.length === 1);
    expect(h.outcomes[0]).toMatchObject({ status: 200, errorKind: null, inputTokens: 120 });
  });

  it('a tool round trip: the 2nd request reuses the connection and sends only the new items', async () => {
    const answer = await toolRoundTrip();
    expect(answer.content).toEqual([{ type: 'text', text: 'two files', citations: null }]);
    expect(h.backend.upgrades).toHaveLength(1);
    const [one, two] = h.backend.frames;
    expect(two!.connection).toBe(one!.connection);
    expect(two!.frame.previous_response_id).toBe(one!.responseId);
    expect(two!.frame.input).toEqual([{ type: 'function_call_output', call_id: 'call_b1', output: 'a\nb' }]);
    // What the backend saw is the whole conversation: the first input, the call it made, the output.
    expect(two!.fullInput.map((i) => i.type)).toEqual([
      ...one!.fullInput.map((i) => i.type),
      'function_call',
      'function_call_output',
    ]);
  });

  it('a changed non-input field (the model) sends the full input without an id', async () => {
    await toolRoundTrip();
    h.backend.script({ kind: 'sse', events: sse.response([sse.message('sure')]) });
    await client.messages.create({
      ...base,
      model: 'claude-haiku-4-5',
      tools,
      messages: [
        { role: 'user', content: 'list' },
        { role: 'assistant', content: 'two files' },
        { role: 'user', content: 'ok' },
      ],
    });
    const third = h.backend.frames[2]!;
    expect(third.frame.previous_response_id).toBeUndefined();
    expect(third.frame.input.length).toBeGreaterThan(1);
  });

  it('an edited history (a rewind) sends the full input without an id', async () => {
    await toolRoundTrip();
    h.backend.script({ kind: 'sse', events: sse.response([sse.message('again')]) });
    await client.messages.create({ ...base, tools, messages: [{ role: 'user', content: 'list again' }] });
    const third = h.backend.frames[2]!;
    expect(third.connection).toBe(h.backend.frames[0]!.connection);
    expect(third.frame.previous_response_id).toBeUndefined();
    expect(third.frame.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'list again' }] },
    ]);
  });

  it('previous_response_not_found retries once with the full input', async () => {
    h.backend.script({ kind: 'sse', events: sse.response([sse.functionCall('Bash', { command: 'ls' }, 'call_b1')]) });
    const first = await client.messages.create({ ...base, tools, messages: [{ role: 'user', content: 'list' }] });
    h.backend.forgetResponses();
    h.backend.script({ kind: 'sse', events: sse.response([sse.message('two files')]) });
    const second = await client.messages.create(toolResultTurn(first));
    expect(second.content).toEqual([{ type: 'text', text: 'two files', citations: null }]);
    // The rejected continuation is not recorded as a frame (the fake refused it); the retry carries everything.
    const last = h.backend.frames.at(-1)!;
    expect(last.frame.previous_response_id).toBeUndefined();
    expect(last.frame.input.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call_output']);
    await until(() => h.outcomes.length === 2);
    expect(h.outcomes[1]).toMatchObject({ status: 200, errorKind: null });
  });

  it('a connection the backend closes before any output is retried once, with the full input, on a new one', async () => {
    await toolRoundTrip();
    h.backend.script(
      { kind: 'sse', events: sse.response([sse.message('lost')]), dieAfterEvents: 1 },
      { kind: 'sse', events: sse.response([sse.message('recovered')]) },
    );
    const msg = await client.messages.create({
      ...base,
      tools,
      messages: [
        { role: 'user', content: 'list' },
        { role: 'user', content: 'and again' },
      ],
    });
    expect(msg.content).toEqual([{ type: 'text', text: 'recovered', citations: null }]);
    const [dead, retry] = h.backend.frames.slice(-2);
    expect(retry!.connection).not.toBe(dead!.connection);
    expect(retry!.frame.previous_response_id).toBeUndefined();
    expect(retry!.frame.input).toEqual(dead!.fullInput);
  });

  it('pings the client while the WebSocket response has not started', async () => {
    h.backend.script({ kind: 'sse', events: sse.response([sse.message('late')]), firstByteDelayMs: 300 });
    const res = await fetch(`${h.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        'x-claude-code-session-id': SESSION,
      },
      body: JSON.stringify({ ...base, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const text = await res.text();
    const names = [...text.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(names.indexOf('ping')).toBeLessThan(names.indexOf('message_start'));
    expect(names.at(-1)).toBe('message_stop');
    expect(h.backend.frames).toHaveLength(1);
  });

  it('two concurrent requests of one thread never share a connection', async () => {
    h.backend.script(
      { kind: 'sse', events: sse.response([sse.message('one')]), firstByteDelayMs: 150 },
      { kind: 'sse', events: sse.response([sse.message('two')]) },
    );
    const ask = (text: string) => client.messages.create({ ...base, messages: [{ role: 'user', content: text }] });
    const [a, b] = await Promise.all([ask('a'), ask('b')]);
    expect(
      [a.content, b.content]
        .flat()
        .map((c) => (c as Anthropic.TextBlock).text)
        .sort(),
    ).toEqual(['one', 'two']);
    expect(new Set(h.backend.frames.map((f) => f.connection)).size).toBe(2);
  });

  it('a wrapped 429 usage_limit_reached frame moves the request to the next account', async () => {
    h.state.candidates = [
      { accountId: 'a1', accountName: 'alpha', model: null, fastMode: false },
      { accountId: 'b2', accountName: 'beta', model: null, fastMode: false },
    ];
    h.backend.script(
      { kind: 'json', status: 429, body: usageLimitBody(1_900_000_000) },
      { kind: 'sse', events: sse.response([sse.message('from beta')]) },
    );
    const msg = await client.messages.stream({ ...base, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    expect(msg.content).toEqual([{ type: 'text', text: 'from beta', citations: null }]);
    expect(h.backend.upgrades.map((u) => u['chatgpt-account-id'])).toEqual(['chatgpt-a1', 'chatgpt-b2']);
    expect(failed).toEqual([{ accountId: 'a1', kind: 'usage_limit', next: 'b2' }]);
    // The wrapped error's headers feed the limits like an HTTP 429's.
    expect(h.upstreamHeaders.filter((u) => u.accountId === 'a1').length).toBeGreaterThan(0);
  });

  it('a client abort mid-stream closes that connection; the next turn opens a new one', async () => {
    h.backend.script({
      kind: 'sse',
      events: sse.response([sse.message(Array.from({ length: 50 }, (_, i) => `w${i} `))]),
      eventDelayMs: 20,
    });
    await abortAtFirstText(client, { ...base, messages: [{ role: 'user', content: 'long' }] });
    await until(() => h.backend.frames[0]?.aborted === true);
    await until(() => h.outcomes.length === 1);
    expect(h.outcomes[0]).toMatchObject({ errorKind: 'client_abort' });
    await until(() => h.backend.closedSockets.includes(h.backend.frames[0]!.connection));
    h.backend.script({ kind: 'sse', events: sse.response([sse.message('fresh')]) });
    const next = await client.messages.create({ ...base, messages: [{ role: 'user', content: 'again' }] });
    expect(next.content).toEqual([{ type: 'text', text: 'fresh', citations: null }]);
    expect(h.backend.frames[1]!.connection).not.toBe(h.backend.frames[0]!.connection);
  });

  it('auto: upgrades failing otherwise are retried, then the thread goes over HTTP', async () => {
    h.state.settings.transport = 'auto';
    h.backend.websocket = 'fail';
    const msg = await client.messages.create({ ...base, messages: [{ role: 'user', content: 'hi' }] });
    expect(msg.content).toEqual([{ type: 'text', text: 'ok', citations: null }]);
    expect(h.backend.upgrades).toHaveLength(3);
    expect(h.backend.requests.map((r) => r.method)).toEqual(['POST']);
    await client.messages.create({ ...base, messages: [{ role: 'user', content: 'hi' }] });
    expect(h.backend.upgrades).toHaveLength(3);
  });

  it('a 401 on the upgrade gets one forced token refresh, like an HTTP 401', async () => {
    h.backend.websocket = 'unauthorized';
    const err = await client.messages.create({ ...base, messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(401);
    expect(h.credentialCalls.map((c) => c.forceRefresh)).toEqual([false, true]);
    expect(h.backend.upgrades.map((u) => u.authorization)).toEqual(['Bearer access-acct1-0', 'Bearer access-acct1-1']);
    expect(h.backend.requests).toHaveLength(0);
  });

  it('websocket: a refused upgrade is an error, never HTTP', async () => {
    h.backend.websocket = 'fail';
    const res = await client.messages.create({ ...base, messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(res).toBeInstanceOf(Anthropic.APIError);
    expect(h.backend.requests).toHaveLength(0);
  });
  // Last: a 426 sends every request of this daemon over HTTP for an hour.
  it('auto: a 426 on the upgrade sends the request over HTTP at once, and later ones straight there', async () => {
    h.state.settings.transport = 'auto';
    h.backend.websocket = 'refuse';
    await toolRoundTrip();
    expect(h.backend.upgrades).toHaveLength(1);
    expect(h.backend.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
    expect(h.backend.requests[1]!.body.previous_response_id).toBeUndefined();
  });
});
