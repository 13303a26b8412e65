import { readFileSync } from 'node:fs';
import type Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backendRefusal, toolSchemaProblem } from '../../fakes/codexBackendRules.js';
import { sse } from '../../fakes/codexBackend.js';
import { apiError, startBridge, TOKEN, type BridgeHarness } from '../../helpers/bridgeHarness.js';
import { until } from '../../helpers/until.js';

// Bridge exactness (issue 13): the official SDK in front of the bridge, the fake Codex backend behind it,
// refusing what the real backend refuses (codexBackendRules.ts), so a shape the backend would not take fails.

let h: BridgeHarness;
beforeAll(async () => {
  h = await startBridge({ pingIntervalMs: 60, upstreamIdleMs: 2000 });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.reset());

const base = { model: 'claude-opus-4-5', max_tokens: 1024 };
const upstreamBody = (i = 0) => h.backend.requests[i]!.body;

describe('tool schemas the backend refuses never reach it', () => {
  // The shape that broke sessions: an MCP server's array without items, plus the rest of what MCP
  // servers send (formats, tuples, top-level composition, $refs).
  const mcpSchema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: {
      labels: { type: 'array', description: 'labels to set' },
      link: { type: 'string', format: 'uri' },
      range: { type: 'array', items: [{ type: 'integer' }, { type: 'integer' }] },
      owner: { $ref: '#/definitions/user' },
    },
    definitions: { user: { type: 'object', properties: { login: { type: 'string', pattern: '^\\p{L}+$' } } } },
    anyOf: [{ required: ['labels'] }, { required: ['link'] }],
  };

  it('the fake refuses the raw schema, as the real backend does', () => {
    expect(toolSchemaProblem(mcpSchema)).toMatch(/top level/);
    expect(toolSchemaProblem({ type: 'object', properties: { labels: { type: 'array' } } })).toMatch(
      /array schema missing items/,
    );
    const refusal = backendRefusal({
      model: 'gpt-5.5',
      stream: true,
      store: false,
      input: [],
      tools: [{ type: 'function', name: 'mcp__gh__label', strict: false, parameters: mcpSchema }],
    });
    expect(refusal?.status).toBe(400);
  });

  it('an MCP tool with that schema goes through, streaming and not, and its call comes back', async () => {
    h.backend.script(
      { kind: 'sse', events: sse.response([sse.functionCall('mcp__gh__label', { labels: ['bug'] }, 'call_l1')]) },
      { kind: 'sse', events: sse.response([sse.message('done')]) },
    );
    const tools: Anthropic.Tool[] = [
      { name: 'mcp__gh__label', description: 'Label an issue', input_schema: mcpSchema as Anthropic.Tool.InputSchema },
    ];
    const msg = await h.client.messages
      .stream({ ...base, tools, messages: [{ role: 'user', content: 'label it' }] })
      .finalMessage();
    expect(msg.content).toEqual([
      { type: 'tool_use', id: 'call_l1', name: 'mcp__gh__label', input: { labels: ['bug'] } },
    ]);
    const again = await h.client.messages.create({ ...base, tools, messages: [{ role: 'user', content: 'again' }] });
    expect(again.content[0]).toMatchObject({ type: 'text', text: 'done' });
    const params = upstreamBody().tools[0].parameters;
    expect(params.properties.labels).toEqual({
      type: 'array',
      description: 'labels to set',
      items: { type: 'string' },
    });
    expect(toolSchemaProblem(params)).toBeNull();
  });
});

describe('thinking off means no reasoning', () => {
  const reasoned = () => sse.response([sse.reasoning(['weighing it'], 'gAAAA-r1'), sse.message('hi')]);

  it('without thinking: the cheapest effort, no summaries, and no thinking block even when upstream reasons', async () => {
    h.backend.script({ kind: 'sse', events: reasoned() }, { kind: 'sse', events: reasoned() });
    const streamed = await h.client.messages
      .stream({ ...base, output_config: { effort: 'high' }, messages: [{ role: 'user', content: 'title this' }] })
      .finalMessage();
    const plain = await h.client.messages.create({
      ...base,
      thinking: { type: 'disabled' },
      messages: [{ role: 'user', content: 'title this' }],
    });
    for (const msg of [streamed, plain]) expect(msg.content).toEqual([{ type: 'text', text: 'hi', citations: null }]);
    expect(upstreamBody(0).reasoning).toEqual({ effort: 'low' });
    expect(upstreamBody(1).reasoning).toEqual({ effort: 'low' });
  });

  it('with adaptive thinking: the effort 1:1, summaries, and the thinking block', async () => {
    h.state.models = [
      {
        id: 'gpt-6.1-sol',
        supportedReasoningEfforts: ['low', 'medium', 'high', 'xhigh', 'max', 'ultra'].map((reasoningEffort) => ({
          reasoningEffort,
        })),
        defaultReasoningEffort: 'low',
      },
    ];
    h.backend.script({ kind: 'sse', events: reasoned() });
    const msg = await h.client.messages
      .stream({
        ...base,
        model: 'gpt-6.1-sol',
        thinking: { type: 'adaptive' },
        output_config: { effort: 'max' },
        messages: [{ role: 'user', content: 'think' }],
      } as Anthropic.MessageCreateParamsStreaming)
      .finalMessage();
    expect(msg.content[0]).toMatchObject({ type: 'thinking', thinking: 'weighing it' });
    expect(upstreamBody().reasoning).toEqual({ effort: 'max', summary: 'auto' });
  });
});

describe('tool_choice', () => {
  const tools: Anthropic.Messages.ToolUnion[] = [
    { name: 'Read', input_schema: { type: 'object', properties: { path: { type: 'string' } } } },
    { type: 'web_search_20250305', name: 'web_search', max_uses: 8 },
  ];
  const ask = (tool_choice: Anthropic.Messages.ToolChoice, stream = false) =>
    h.client.messages.create({ ...base, stream, tools, tool_choice, messages: [{ role: 'user', content: 'go' }] });

  it('any, none, a named tool and the web_search server tool each reach the backend in a form it accepts', async () => {
    await ask({ type: 'any' });
    await ask({ type: 'none' });
    await ask({ type: 'tool', name: 'Read', disable_parallel_tool_use: true });
    await ask({ type: 'tool', name: 'web_search' });
    const sent = h.backend.requests.map((r) => ({ choice: r.body.tool_choice, tools: r.body.tools.length }));
    expect(sent).toEqual([
      { choice: 'required', tools: 2 },
      { choice: 'none', tools: 2 },
      { choice: { type: 'function', name: 'Read' }, tools: 2 },
      { choice: 'required', tools: 1 },
    ]);
    expect(h.backend.requests[2]!.body.parallel_tool_calls).toBe(false);
    expect(h.backend.requests[3]!.body.tools[0].type).toBe('web_search');
  });

  it('a tool that does not exist is a clear 400 from the bridge, streaming or not, and nothing goes upstream', async () => {
    for (const stream of [false, true]) {
      const err = await apiError(ask({ type: 'tool', name: 'Ghost' }, stream));
      expect(err.status).toBe(400);
      expect(err.error).toMatchObject({
        type: 'error',
        error: { type: 'invalid_request_error', message: expect.stringContaining("tool 'Ghost'") },
      });
    }
    expect(h.backend.requests).toHaveLength(0);
  });
});

describe('stop_sequences', () => {
  // The sequence arrives split across deltas, and the backend keeps generating after it.
  const longer = () => sse.response([sse.message(['Answer: 42', '\n\nHu', 'man: and then', ' much more'])]);

  it('streaming and not: text up to the first occurrence, stop_reason stop_sequence, the upstream cut off', async () => {
    h.backend.script(
      { kind: 'sse', events: longer(), eventDelayMs: 5 },
      { kind: 'sse', events: longer(), eventDelayMs: 5 },
    );
    const params = {
      ...base,
      stop_sequences: ['\n\nHuman:', 'never'],
      messages: [{ role: 'user' as const, content: 'q' }],
    };
    const streamed = await h.client.messages.stream(params).finalMessage();
    const plain = await h.client.messages.create(params);
    for (const msg of [streamed, plain]) {
      expect(msg.content).toEqual([{ type: 'text', text: 'Answer: 42', citations: null }]);
      expect(msg.stop_reason).toBe('stop_sequence');
      expect(msg.stop_sequence).toBe('\n\nHuman:');
    }
    expect(h.backend.requests[0]!.body).not.toHaveProperty('stop');
    await until(() => h.backend.requests.every((r) => r.aborted));
  });
});

describe('usage always carries the cache counts', () => {
  it('message_start, message_delta and the non-stream Message all have cache_read/cache_creation_input_tokens', async () => {
    const usage = { input_tokens: 1000, input_tokens_details: { cached_tokens: 800 }, output_tokens: 7 };
    h.backend.script(
      { kind: 'sse', events: sse.response([sse.message('a')], { usage }) },
      { kind: 'sse', events: sse.response([sse.message('b')], { usage }) },
    );
    const res = await fetch(`${h.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...base, stream: true, messages: [{ role: 'user', content: 'x' }] }),
    });
    const data = [...(await res.text()).matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!));
    const start = data.find((d) => d.type === 'message_start').message.usage;
    const delta = data.find((d) => d.type === 'message_delta').usage;
    expect(start).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
    expect(delta).toMatchObject({ input_tokens: 200, cache_read_input_tokens: 800, cache_creation_input_tokens: 0 });
    const msg = await h.client.messages.create({ ...base, messages: [{ role: 'user', content: 'x' }] });
    expect(msg.usage).toMatchObject({
      input_tokens: 200,
      cache_read_input_tokens: 800,
      cache_creation_input_tokens: 0,
    });
  });
});

describe('new Claude Code input, from a recorded real request', () => {
  // Claude Code 2.1.332's main-loop request after a WebSearch round (test/fixtures/claude-code), sent with
  // its real headers: a mid-conversation system message, adaptive thinking, a context_management edit and
  // the beta header list of that release.
  const recorded = JSON.parse(
    readFileSync(new URL('../../fixtures/claude-code/mid-conversation-system.json', import.meta.url), 'utf8'),
  ) as { headers: [string, string][]; body: Record<string, unknown> };
  const DROP = new Set(['authorization', 'host', 'content-length', 'connection', 'accept-encoding']);
  const headers = Object.fromEntries(recorded.headers.filter(([k]) => !DROP.has(k.toLowerCase())));

  const post = (body: unknown) =>
    fetch(`${h.baseUrl}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
    });

  it('is accepted as it is: the system message goes upstream as a developer message in its place', async () => {
    expect(headers['anthropic-beta']).toContain('context-management-2025-06-27');
    const res = await post(recorded.body);
    expect(res.status).toBe(200);
    await res.text();
    const input: { type: string; role?: string }[] = upstreamBody().input;
    const shape = input.map((i) => (i.type === 'message' ? `${i.role}` : i.type));
    // first the system prompt and the user turn, then the mid-conversation system message, then the tool round
    expect(shape.slice(-4)).toEqual(['user', 'developer', 'function_call', 'function_call_output']);
    expect(JSON.stringify(input.at(-3))).toContain('Primary working directory');
  });

  it('a content block type nobody knows yet is a 400 naming it, never a 500', async () => {
    const messages = structuredClone(recorded.body.messages) as { content: unknown }[];
    messages[0]!.content = [{ type: 'hologram_2027', data: 'x' }];
    const res = await post({ ...recorded.body, messages });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining("'hologram_2027'") },
    });
    expect(h.backend.requests).toHaveLength(0);
  });
});

describe('web search keeps its sources, through the wire', () => {
  const cites = [{ url: 'https://example.test/r', title: 'Release', cited: 'shipped' }];
  const searched = () => sse.response([sse.webSearch('news'), sse.message(['It ', 'shipped.'], 'msg_w', cites)]);
  const params = {
    ...base,
    tools: [{ type: 'web_search_20250305' as const, name: 'web_search' as const, max_uses: 8 }],
    messages: [{ role: 'user' as const, content: 'Perform a web search for the query: news' }],
  };

  it('streaming and not: links in web_search_tool_result, citations on the text, the search counted', async () => {
    h.backend.script({ kind: 'sse', events: searched() }, { kind: 'sse', events: searched() });
    const streamed = await h.client.messages.stream(params).finalMessage();
    const plain = await h.client.messages.create(params);
    for (const msg of [streamed, plain]) {
      const result = msg.content.find((b) => b.type === 'web_search_tool_result');
      expect(result).toMatchObject({
        content: [{ type: 'web_search_result', url: 'https://example.test/r', title: 'Release' }],
      });
      const text = msg.content.find((b) => b.type === 'text');
      expect(text).toMatchObject({
        text: 'It shipped.',
        citations: [{ url: 'https://example.test/r', cited_text: 'shipped' }],
      });
      expect(msg.usage.server_tool_use).toMatchObject({ web_search_requests: 1 });
    }
  });
});
