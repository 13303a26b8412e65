import type { ServerResponse } from 'node:http';
import type Anthropic from '@anthropic-ai/sdk';
import { APIError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REQUEST_ENCODING } from '../../../src/translate/encodeRequestBody.js';
import { ResponsesRequestSchema } from '../../../src/translate/responsesSchema.js';
import { frame, RATE_LIMIT_HEADERS, sse } from '../../fakes/codexBackend.js';
import { abortAtFirstText, startBridge, TOKEN, type BridgeHarness } from '../../helpers/bridgeHarness.js';
import { until } from '../../helpers/until.js';

// The bridge app on a real HTTP server, the fake Codex backend behind it, the official SDK in front.

const SESSION = '0f0e0d0c-0b0a-4908-8706-050403020100';
let h: BridgeHarness;

beforeAll(async () => {
  h = await startBridge({ pingIntervalMs: 60, upstreamIdleMs: 400 });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.reset());

const upstreamBody = (i = 0) => h.backend.requests[i]!.body;
const base = { model: 'claude-opus-4-5', max_tokens: 1024 };

async function rawStream(
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`${h.baseUrl}/v1/messages?beta=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ ...base, stream: true, ...body }),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
const eventNames = (text: string) => [...text.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
/** The events of a streamed one-text-block answer, pings aside. */
const ONE_TEXT_BLOCK = [
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
];

describe('text', () => {
  it('messages.create: a complete Message; upstream got the exact contract body and codex headers', async () => {
    h.backend.script({ kind: 'sse', events: sse.response([sse.message(['Hello', ' there'])]) });
    const msg = await h.client.messages.create(
      {
        ...base,
        system: [
          { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.332;' },
          { type: 'text', text: 'Be brief.' },
        ],
        messages: [{ role: 'user', content: 'hi' }],
      },
      { headers: { 'x-claude-code-session-id': SESSION } },
    );
    expect(msg).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-opus-4-5',
      content: [{ type: 'text', text: 'Hello there', citations: null }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 100, cache_read_input_tokens: 20, cache_creation_input_tokens: 0, output_tokens: 30 },
    });
    const req = h.backend.requests[0]!;
    expect(req.path).toBe('/backend-api/codex/responses');
    ResponsesRequestSchema.parse(req.body);
    expect(req.body).not.toHaveProperty('instructions');
    expect(req.body.input[0]).toEqual({
      type: 'message',
      role: 'developer',
      content: [{ type: 'input_text', text: 'Be brief.' }],
    });
    expect(req.body).toMatchObject({
      model: 'gpt-5.5',
      prompt_cache_key: SESSION,
      stream: true,
      store: false,
    });
    expect(req.headers).toMatchObject({
      authorization: 'Bearer access-acct1-0',
      'chatgpt-account-id': 'chatgpt-acct1',
      originator: 'codex_cli_rs',
      version: '0.169.0',
      'user-agent': 'codex_cli_rs/0.169.0 (Debian 12.0.0; x86_64) xterm',
      'session-id': SESSION,
      'thread-id': SESSION,
      'x-client-request-id': SESSION,
      accept: 'text/event-stream',
    });
    // zstd where the runtime has it (Node >= 22.15), as codex sends it; identity on Node 20.
    expect(req.headers['content-encoding']).toBe(REQUEST_ENCODING ?? undefined);
    expect(req.headerOrder.filter((k) => k !== 'content-encoding').slice(0, 13)).toEqual([
      'version',
      'x-codex-window-id',
      'x-codex-turn-metadata',
      'x-codex-routing-hint',
      'x-client-request-id',
      'session-id',
      'thread-id',
      'accept',
      'content-type',
      'authorization',
      'chatgpt-account-id',
      'originator',
      'user-agent',
    ]);
    expect(h.upstreamHeaders[0]!.headers['x-codex-primary-used-percent']).toBe(
      RATE_LIMIT_HEADERS['x-codex-primary-used-percent'],
    );
    await until(() => h.outcomes.length === 1);
    expect(h.outcomes[0]).toMatchObject({
      accountId: 'acct1',
      model: 'gpt-5.5',
      requestedModel: 'claude-opus-4-5',
      status: 200,
      stream: false,
      inputTokens: 120,
      outputTokens: 30,
      errorKind: null,
    });
  });

  it('a client naming no session still keeps one cache key and session id over its conversation', async () => {
    const first = { role: 'user' as const, content: 'hi' };
    await h.client.messages.create({ ...base, system: 'Be brief.', messages: [first] });
    await h.client.messages.create({
      ...base,
      system: 'Be brief.',
      messages: [first, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'more' }],
    });
    await h.client.messages.create({ ...base, system: 'Be brief.', messages: [{ role: 'user', content: 'other' }] });
    const [a, b, other] = h.backend.requests;
    expect(b!.body.prompt_cache_key).toBe(a!.body.prompt_cache_key);
    expect(b!.headers['session-id']).toBe(a!.headers['session-id']);
    expect(other!.body.prompt_cache_key).not.toBe(a!.body.prompt_cache_key);
  });

  it('messages.stream: text arrives in order, with the request-id header and usage', async () => {
    h.backend.script({ kind: 'sse', events: sse.response([sse.message(['a', 'b', 'c'])]), eventDelayMs: 15 });
    const stream = h.client.messages.stream({ ...base, messages: [{ role: 'user', content: 'hi' }] });
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const final = await stream.finalMessage();
    expect(texts).toEqual(['a', 'b', 'c']); // paced upstream tokens stream through one by one
    expect(final.content).toEqual([{ type: 'text', text: 'abc', citations: null }]);
    expect(final.usage.output_tokens).toBe(30);
    const raw = await (async () => {
      h.backend.script({ kind: 'sse', events: sse.response([sse.message('x')]) });
      return rawStream({ messages: [{ role: 'user', content: 'hi' }] });
    })();
    expect(raw.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(raw.headers.get('request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    // The test's 60 ms ping interval can elapse on a loaded machine; pings may come anywhere (own test below).
    expect(eventNames(raw.text).filter((n) => n !== 'ping')).toEqual(ONE_TEXT_BLOCK);
  });
});

describe('tools', () => {
  it('a tool round trip: tool_use → tool_result → answer', async () => {
    h.backend.script(
      { kind: 'sse', events: sse.response([sse.functionCall('get_weather', { city: 'Oslo' }, 'call_w1')]) },
      { kind: 'sse', events: sse.response([sse.message('It is 3°C in Oslo.')]) },
    );
    const tools: Anthropic.Tool[] = [
      {
        name: 'get_weather',
        description: 'Weather',
        input_schema: {
          type: 'object',
          properties: { city: { type: 'string', format: 'city-name' } },
          required: ['city'],
        },
      },
    ];
    const first = await h.client.messages
      .stream({ ...base, tools, messages: [{ role: 'user', content: 'Weather in Oslo?' }] })
      .finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!;
    expect(use).toMatchObject({ id: 'call_w1', name: 'get_weather', input: { city: 'Oslo' } });

    const second = await h.client.messages.create({
      ...base,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '3°C, cloudy' }] },
      ],
    });
    expect(second.content).toEqual([{ type: 'text', text: 'It is 3°C in Oslo.', citations: null }]);
    const input = upstreamBody(1).input;
    expect(input.slice(1)).toEqual([
      { type: 'function_call', name: 'get_weather', arguments: '{"city":"Oslo"}', call_id: 'call_w1' },
      { type: 'function_call_output', call_id: 'call_w1', output: '3°C, cloudy' },
    ]);
    expect(upstreamBody(1).tools[0]).toEqual({
      type: 'function',
      name: 'get_weather',
      description: 'Weather',
      strict: false,
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    });
  });

  it('parallel tool calls come back as separate tool_use blocks with their full inputs', async () => {
    h.backend.script({
      kind: 'sse',
      events: sse.response([
        sse.functionCall('Read', { file_path: '/a' }, 'call_a'),
        sse.functionCall('Read', { file_path: '/b' }, 'call_b'),
      ]),
    });
    const msg = await h.client.messages
      .stream({
        ...base,
        tools: [{ name: 'Read', input_schema: { type: 'object' } }],
        messages: [{ role: 'user', content: 'read both' }],
      })
      .finalMessage();
    expect(msg.content).toEqual([
      { type: 'tool_use', id: 'call_a', name: 'Read', input: { file_path: '/a' } },
      { type: 'tool_use', id: 'call_b', name: 'Read', input: { file_path: '/b' } },
    ]);
    expect(upstreamBody().parallel_tool_calls).toBe(true);
  });
});

describe('images and thinking', () => {
  it('images go upstream as data URLs, also inside tool results', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
    await h.client.messages.create({
      ...base,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
            { type: 'text', text: 'what is this?' },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Screenshot', input: {} }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }],
            },
          ],
        },
      ],
    });
    const input = upstreamBody().input;
    expect(input[0].content[0]).toEqual({
      type: 'input_image',
      image_url: `data:image/png;base64,${png}`,
      detail: 'high',
    });
    expect(input[2].output).toEqual([
      { type: 'input_image', image_url: `data:image/png;base64,${png}`, detail: 'high' },
    ]);
  });

  it('thinking: reasoning streams as a thinking block whose signature brings the encrypted reasoning back next turn', async () => {
    h.backend.script(
      { kind: 'sse', events: sse.response([sse.reasoning(['Plan: answer'], 'gAAAAB-secret'), sse.message('42')]) },
      { kind: 'sse', events: sse.response([sse.message('ok')]) },
    );
    const first = await h.client.messages
      .stream({
        ...base,
        thinking: { type: 'enabled', budget_tokens: 20000 },
        messages: [{ role: 'user', content: 'q' }],
      })
      .finalMessage();
    expect(upstreamBody(0).reasoning).toEqual({ effort: 'high', summary: 'auto' });
    const thinking = first.content[0] as Anthropic.ThinkingBlock;
    expect(thinking).toMatchObject({ type: 'thinking', thinking: 'Plan: answer' });
    expect(thinking.signature).toBe('ccbridge.v1.acct1.gAAAAB-secret');
    await h.client.messages.create({
      ...base,
      thinking: { type: 'enabled', budget_tokens: 20000 },
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: [...first.content, { type: 'thinking', thinking: 'foreign', signature: 'EqQBCkgIBRABGAIiQHk' }],
        },
        { role: 'user', content: 'and?' },
      ],
    });
    expect(upstreamBody(1).input.slice(1, 3)).toEqual([
      {
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: 'Plan: answer' }],
        content: null,
        encrypted_content: 'gAAAAB-secret',
      },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: '42' }] },
    ]);
    expect(JSON.stringify(upstreamBody(1))).not.toContain('EqQB');
  });
});

describe('streaming robustness', () => {
  /** Answers with the events, pausing `gapMs` after the first `split` of them. */
  function paced(events: ReturnType<typeof sse.response>, split: number, gapMs: number) {
    h.backend.handle((_req, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', ...RATE_LIMIT_HEADERS });
      res.write(events.slice(0, split).map(frame).join(''));
      setTimeout(() => {
        if (!res.destroyed) res.end(events.slice(split).map(frame).join(''));
      }, gapMs);
    });
  }

  it('pings while the upstream is quiet', async () => {
    paced(sse.response([sse.message(['one', 'two'])]), 4, 250);
    try {
      const { text } = await rawStream({ messages: [{ role: 'user', content: 'hi' }] });
      const names = eventNames(text);
      expect(names.filter((n) => n === 'ping').length).toBeGreaterThanOrEqual(2);
      expect(names.filter((n) => n !== 'ping')).toEqual(ONE_TEXT_BLOCK);
      expect(text).toContain('event: ping\ndata: {"type": "ping"}\n\n');
    } finally {
      h.backend.handle(null);
    }
  });

  it('an upstream that dies mid-stream ends in an SSE error event, which the SDK throws', async () => {
    h.backend.script({ kind: 'sse', events: sse.response([sse.message(['par', 'tial', 'never'])]), dieAfterEvents: 6 });
    const stream = h.client.messages.stream({ ...base, messages: [{ role: 'user', content: 'hi' }] });
    const err = await stream.finalMessage().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).message).toMatch(/Codex backend/);
    await until(() => h.outcomes.length === 1);
    expect(h.outcomes[0]).toMatchObject({ status: 200, errorKind: 'other' });
  });

  it('a response.failed after output is an error event too (overloaded_error)', async () => {
    const events = [
      ...sse.response([sse.message('x')]).slice(0, 5),
      { type: 'response.failed', response: { error: { code: 'server_is_overloaded', message: 'busy' } } },
    ];
    h.backend.script({ kind: 'sse', events, eventDelayMs: 5 });
    const { status, text } = await rawStream({ messages: [{ role: 'user', content: 'hi' }] });
    expect(status).toBe(200);
    expect(eventNames(text).at(-1)).toBe('error');
    expect(text).toContain('"type":"overloaded_error"');
  });

  it('an upstream that goes silent mid-response is given up on: SSE error, upstream closed', async () => {
    h.backend.handle((_req, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', ...RATE_LIMIT_HEADERS });
      res.write(
        sse
          .response([sse.message('x')])
          .slice(0, 5)
          .map(frame)
          .join(''),
      ); // and then nothing, forever
    });
    try {
      const { text } = await rawStream({ messages: [{ role: 'user', content: 'hi' }] });
      expect(
        eventNames(text)
          .filter((n) => n !== 'ping')
          .at(-1),
      ).toBe('error');
      expect(text).toContain('the Codex backend sent nothing for 400 ms');
      await until(() => h.backend.requests[0]!.aborted);
    } finally {
      h.backend.handle(null);
    }
  });

  it('a client that goes away aborts the upstream request, leaving no upstream socket behind', async () => {
    const before = await h.backend.connections();
    h.backend.script({
      kind: 'sse',
      events: sse.response([sse.message(Array.from({ length: 200 }, (_, i) => `t${i} `))]),
      eventDelayMs: 20,
    });
    await abortAtFirstText(h.client, { ...base, messages: [{ role: 'user', content: 'long' }] });
    await until(() => h.backend.requests[0]?.aborted === true);
    await until(() => h.outcomes.length === 1);
    expect(h.outcomes[0]).toMatchObject({ errorKind: 'client_abort' });
    // The aborted stream's socket is destroyed, not parked: at most the idle keep-alive sockets from before remain.
    await until(async () => (await h.backend.connections()) <= before);
  });

  it('a client that leaves before the upstream answered aborts it as well', async () => {
    h.backend.script({ kind: 'sse', events: sse.response([sse.message('late')]), firstByteDelayMs: 400 });
    const ctrl = new AbortController();
    const pending = fetch(`${h.baseUrl}/v1/messages`, {
      method: 'POST',
      signal: ctrl.signal,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...base, stream: false, messages: [{ role: 'user', content: 'hi' }] }),
    }).catch((e: unknown) => e);
    await h.backend.waitForRequests(1);
    ctrl.abort();
    await pending;
    await until(() => h.backend.requests[0]!.aborted);
    await until(() => h.outcomes.length === 1);
    expect(h.outcomes[0]).toMatchObject({ errorKind: 'client_abort' });
  });
});
