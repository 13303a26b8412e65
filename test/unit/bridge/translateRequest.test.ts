import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AnthropicApiError } from '../../../src/translate/anthropicError.js';
import type { MessagesRequest } from '../../../src/translate/anthropicSchema.js';
import { BUILTIN_MODELS, findModel } from '../../../src/translate/codexModels.js';
import { parseMessagesRequest } from '../../../src/translate/parseMessagesRequest.js';
import { encodeReasoningSignature } from '../../../src/translate/reasoningSignature.js';
import type { ResolvedModel } from '../../../src/translate/resolveModel.js';
import { ResponsesRequestSchema, type InputItem } from '../../../src/translate/responsesSchema.js';
import { threadIdentity } from '../../../src/translate/sessionKey.js';
import { pairToolCalls, translateRequest, type TranslateContext } from '../../../src/translate/translateRequest.js';

const SESSION = '66d32f60-2b88-4ebb-94db-d5f77f352e9a';
const model = (slug: string): ResolvedModel => ({ slug, info: findModel(BUILTIN_MODELS, slug), tier: null });
const ctx = (over: Partial<TranslateContext> = {}): TranslateContext => ({
  model: model('gpt-5.5'),
  accountId: 'acct1',
  fastMode: false,
  thread: threadIdentity(SESSION, null),
  installationId: 'd318b0ab-7ffb-4aad-ae6e-91986d4207f4',
  ...over,
});

function translate(body: Record<string, unknown>, over: Partial<TranslateContext> = {}) {
  const req = parseMessagesRequest(JSON.stringify({ model: 'claude-opus-4-5', max_tokens: 100, ...body }));
  const out = translateRequest(req, ctx(over));
  // Strict schema: a field codex never sends would fail here.
  ResponsesRequestSchema.parse(out.body);
  return out;
}
const user = (content: unknown) => ({ messages: [{ role: 'user', content }] });
const loadFixture = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8'));
const CAPTURE_BODY = loadFixture('codex-capture/chatgpt-tool-round-trip.json').body as {
  client_metadata: Record<string, string>;
};

describe('translateRequest: the real Claude Code request', () => {
  const cc = loadFixture('claude-code/first-turn.json').body as MessagesRequest;
  const { body } = translateRequest(parseMessagesRequest(JSON.stringify(cc)), ctx());

  it('is a body the strict contract schema accepts', () => {
    expect(() => ResponsesRequestSchema.parse(body)).not.toThrow();
  });

  it('orders fields as codex 0.169.0 does (captured), with no instructions field', () => {
    const captured = Object.keys(loadFixture('codex-capture/chatgpt-tool-round-trip.json').body).filter(
      (k) => k !== 'text' && k !== 'service_tier',
    );
    expect(Object.keys(body)).toEqual(captured);
    expect(body).not.toHaveProperty('instructions');
  });

  it('sends the system prompt as the first developer message, one part per block, without the attribution line', () => {
    const blocks = (cc.system as { text: string }[]).map((b) => b.text);
    expect(blocks[0]).toMatch(/^x-anthropic-billing-header:/);
    expect(body.input[0]).toEqual({
      type: 'message',
      role: 'developer',
      content: blocks.slice(1).map((text) => ({ type: 'input_text', text })),
    });
    expect(JSON.stringify(body)).not.toContain('x-anthropic-billing-header');
  });

  it('turns a system-role message into a developer message where it stands', () => {
    expect(body.input[1]).toMatchObject({ type: 'message', role: 'user' });
    expect(body.input[2]).toMatchObject({ type: 'message', role: 'developer' });
    expect(JSON.stringify(body.input[2])).toContain('Primary working directory');
  });

  it('sends every custom tool as a strict:false function with a cleaned schema, deferred ones too', () => {
    expect(body.tools!.map((t) => ('name' in t ? t.name : t.type))).toEqual(cc.tools!.map((t) => t.name));
    for (const t of body.tools!) {
      expect(t).toMatchObject({ type: 'function', strict: false });
      expect(JSON.stringify(t)).not.toMatch(/\$schema|"format"|"pattern"|defer_loading|cache_control/);
    }
  });

  it('maps adaptive thinking with display omitted to effort without summaries, and keys the cache by session', () => {
    expect(body.reasoning).toEqual({ effort: 'medium' });
    expect(body.prompt_cache_key).toBe(SESSION);
    // The keys and order codex 0.169.0 sends (test/fixtures/codex-capture), minus per-turn ids we do not have.
    expect(body.client_metadata).toEqual({
      session_id: SESSION,
      'x-codex-turn-metadata': expect.any(String),
      'x-codex-window-id': `${SESSION}:0`,
      'x-codex-installation-id': 'd318b0ab-7ffb-4aad-ae6e-91986d4207f4',
      thread_id: SESSION,
    });
    // Only what is true for a bridged request; no made-up sandbox, turn or analytics fields.
    expect(JSON.parse(body.client_metadata['x-codex-turn-metadata']!)).toEqual({
      installation_id: 'd318b0ab-7ffb-4aad-ae6e-91986d4207f4',
      session_id: SESSION,
      thread_id: SESSION,
      window_id: `${SESSION}:0`,
      window_number: 0,
      request_kind: 'turn',
      thread_source: 'user',
      model: 'gpt-5.5',
      reasoning_effort: 'medium',
    });
    const captured = Object.keys(CAPTURE_BODY.client_metadata).filter((k) => k in body.client_metadata!);
    expect(Object.keys(body.client_metadata!)).toEqual(captured);
    expect(body).toMatchObject({
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      tool_choice: 'auto',
      parallel_tool_calls: true,
    });
  });

  it('never sends max_output_tokens, temperature, top_p or stop even when asked', () => {
    const { body: b } = translate({
      temperature: 0.2,
      top_p: 0.9,
      top_k: 5,
      stop_sequences: ['x'],
      metadata: { user_id: 'u' },
      ...user('hi'),
    });
    expect(Object.keys(b)).not.toEqual(expect.arrayContaining(['max_output_tokens']));
    for (const k of ['max_output_tokens', 'temperature', 'top_p', 'top_k', 'stop', 'metadata', 'user'])
      expect(b).not.toHaveProperty(k);
  });
});

describe('translateRequest: content blocks', () => {
  it('text, images (base64 and url); no system prompt means no developer message', () => {
    const { body } = translate(
      user([
        { type: 'text', text: 'look' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'image', source: { type: 'url', url: 'https://x.test/a.jpg' } },
        { type: 'text', text: '' },
      ]),
    );
    expect(body.input).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'look' },
          { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' },
          { type: 'input_image', image_url: 'https://x.test/a.jpg', detail: 'high' },
        ],
      },
    ]);
  });

  it('documents: text inline with title, PDF as input_file, text/plain base64 decoded; file ids are a clear 400', () => {
    const { body } = translate(
      user([
        { type: 'document', title: 'Notes', source: { type: 'text', media_type: 'text/plain', data: 'hello doc' } },
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
        {
          type: 'document',
          source: { type: 'base64', media_type: 'text/plain', data: Buffer.from('plain').toString('base64') },
        },
        { type: 'document', source: { type: 'content', content: [{ type: 'text', text: 'inner' }] } },
      ]),
    );
    expect((body.input[0] as Extract<InputItem, { type: 'message' }>).content).toEqual([
      { type: 'input_text', text: 'Document: Notes\n\nhello doc' },
      { type: 'input_file', filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' },
      { type: 'input_text', text: 'plain' },
      { type: 'input_text', text: 'inner' },
    ]);
    expect(() => translate(user([{ type: 'document', source: { type: 'file', file_id: 'file_1' } }]))).toThrow(
      AnthropicApiError,
    );
    expect(() =>
      translate(user([{ type: 'document', source: { type: 'base64', media_type: 'image/tiff', data: 'AA==' } }])),
    ).toThrow(/image\/tiff/);
    expect(() => translate(user([{ type: 'image', source: { type: 'file', file_id: 'f' } }]))).toThrow(/file_id/);
  });

  it('tool round trip: tool_use → function_call, tool_result → function_call_output before the user text', () => {
    const { body } = translate({
      messages: [
        { role: 'user', content: 'run it' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'ok' },
            { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'also this' },
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'a\nb' },
          ],
        },
      ],
    });
    expect(body.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'run it' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok' }] },
      { type: 'function_call', name: 'Bash', arguments: '{"command":"ls"}', call_id: 'toolu_1' },
      { type: 'function_call_output', call_id: 'toolu_1', output: 'a\nb' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'also this' }] },
    ]);
  });

  it('tool results: blocks joined as text, images as a part array, is_error said in the text, tool_reference explained', () => {
    const calls = ['t1', 't2', 't3', 't4'].map((id) => ({ type: 'tool_use', id, name: 'Read', input: {} }));
    const { body } = translate({
      messages: [
        { role: 'assistant', content: calls },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              content: [
                { type: 'text', text: 'one' },
                { type: 'text', text: 'two' },
              ],
            },
            {
              type: 'tool_result',
              tool_use_id: 't2',
              content: [
                { type: 'text', text: 'cap' },
                { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/' } },
              ],
            },
            { type: 'tool_result', tool_use_id: 't3', content: 'boom', is_error: true },
            { type: 'tool_result', tool_use_id: 't4', content: [{ type: 'tool_reference', tool_name: 'mcp__x__y' }] },
          ],
        },
      ],
    });
    const outputs = body.input
      .filter((i) => i.type === 'function_call_output')
      .map((i) => (i as { output: unknown }).output);
    expect(outputs).toEqual([
      'one\ntwo',
      [
        { type: 'input_text', text: 'cap' },
        { type: 'input_image', image_url: 'data:image/jpeg;base64,/9j/', detail: 'high' },
      ],
      'Error: boom',
      'Tool mcp__x__y is loaded and can be called.',
    ]);
  });

  it('reasoning round trip: ccbridge signatures for this account replay as reasoning items; foreign ones never go upstream', () => {
    const own = encodeReasoningSignature('acct1', 'gAAAA-own');
    const { body } = translate({
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'summary text', signature: own },
            { type: 'thinking', thinking: 'anthropic', signature: 'EqQBCkgIBRABGAIiQ' },
            {
              type: 'thinking',
              thinking: 'other account',
              signature: encodeReasoningSignature('acct2', 'gAAAA-other'),
            },
            { type: 'redacted_thinking', data: 'xyz' },
            { type: 'thinking', thinking: '', signature: encodeReasoningSignature('acct1', 'gAAAA-omitted') },
            { type: 'text', text: 'answer' },
          ],
        },
        { role: 'user', content: 'next' },
      ],
    });
    expect(body.input.slice(1, 4)).toEqual([
      {
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: 'summary text' }],
        content: null,
        encrypted_content: 'gAAAA-own',
      },
      { type: 'reasoning', summary: [], content: null, encrypted_content: 'gAAAA-omitted' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'answer' }] },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/EqQB|gAAAA-other|xyz/);
  });

  it('replays a web search as a web_search_call and drops its results block', () => {
    const { body } = translate({
      messages: [
        { role: 'user', content: 'news?' },
        {
          role: 'assistant',
          content: [
            { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'codex news' } },
            { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
            { type: 'text', text: 'here' },
          ],
        },
      ],
    });
    expect(body.input[1]).toEqual({
      type: 'web_search_call',
      status: 'completed',
      action: { type: 'search', query: 'codex news' },
    });
  });

  it('back-fills an unanswered call with "aborted" and drops orphan outputs (as codex does)', () => {
    const items: InputItem[] = [
      { type: 'function_call', name: 'A', arguments: '{}', call_id: 'c1' },
      { type: 'function_call_output', call_id: 'zz', output: 'orphan' },
      { type: 'function_call', name: 'B', arguments: '{}', call_id: 'c2' },
      { type: 'function_call_output', call_id: 'c2', output: 'ok' },
    ];
    expect(pairToolCalls(items)).toEqual([
      items[0],
      { type: 'function_call_output', call_id: 'c1', output: 'aborted' },
      items[2],
      items[3],
    ]);
  });
});

describe('translateRequest: tools and long names', () => {
  const longName = `mcp__${'very_long_server_name_'.repeat(3)}__${'tool_with_a_long_name_'.repeat(2)}`;
  const longId = `toolu_${'x'.repeat(70)}`;

  it('shortens >64-char tool names and call ids the same way everywhere, and maps names back', () => {
    expect(longName.length).toBeGreaterThan(64);
    const { body, toolNames } = translate({
      tools: [{ name: longName, description: 'd', input_schema: { type: 'object', properties: {} } }],
      tool_choice: { type: 'tool', name: longName },
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: longId, name: longName, input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: longId, content: 'done' }] },
      ],
    });
    const tool = body.tools![0] as { name: string };
    expect(tool.name.length).toBeLessThanOrEqual(64);
    expect(tool.name).toMatch(/^[a-zA-Z0-9_-]+$/);
    const call = body.input[1] as { name: string; call_id: string };
    const output = body.input[2] as { call_id: string };
    expect(call.name).toBe(tool.name);
    expect(body.tool_choice).toEqual({ type: 'function', name: tool.name });
    expect(call.call_id.length).toBeLessThanOrEqual(64);
    expect(output.call_id).toBe(call.call_id);
    expect(toolNames.fromUpstream(tool.name)).toBe(longName);
    expect(toolNames.fromUpstream('Bash')).toBe('Bash');
  });

  it('tool_choice auto/any/tool/none and disable_parallel_tool_use', () => {
    const tools = [{ name: 'Read', input_schema: { type: 'object' } }];
    expect(translate({ tools, tool_choice: { type: 'any' }, ...user('x') }).body.tool_choice).toBe('required');
    expect(translate({ tools, tool_choice: { type: 'none' }, ...user('x') }).body).toMatchObject({
      tool_choice: 'none',
      tools: [{ name: 'Read' }],
    });
    expect(
      translate({ tools, tool_choice: { type: 'auto', disable_parallel_tool_use: true }, ...user('x') }).body,
    ).toMatchObject({
      tool_choice: 'auto',
      parallel_tool_calls: false,
    });
  });

  it('web_search server tools become codex web_search; other server tools are dropped', () => {
    const { body } = translate({
      tools: [
        {
          type: 'web_search_20250305',
          name: 'web_search',
          allowed_domains: ['a.test'],
          user_location: { type: 'approximate', city: 'Oslo', country: 'NO' },
        },
        { type: 'web_fetch_20250910', name: 'web_fetch' },
        { type: 'bash_20250124', name: 'bash' },
      ],
      ...user('x'),
    });
    expect(body.tools).toEqual([
      {
        type: 'web_search',
        external_web_access: true,
        filters: { allowed_domains: ['a.test'] },
        user_location: { type: 'approximate', country: 'NO', city: 'Oslo' },
      },
    ]);
  });

  it('output_config.format json_schema becomes text.format', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(translate({ output_config: { format: { type: 'json_schema', schema } }, ...user('x') }).body.text).toEqual({
      format: { type: 'json_schema', name: 'output', strict: false, schema },
    });
  });
});

describe('translateRequest: reasoning effort and fast mode', () => {
  const effort = (body: Record<string, unknown>, slug = 'gpt-5.5') =>
    translate({ ...body, ...user('x') }, { model: model(slug) }).body.reasoning;

  it('maps thinking to effort within what the model supports, with summaries unless omitted', () => {
    const on = { type: 'adaptive' };
    expect(effort({ thinking: on })).toEqual({ effort: 'medium', summary: 'auto' });
    expect(effort({ thinking: { type: 'enabled', budget_tokens: 1024 } })).toEqual({ effort: 'low', summary: 'auto' });
    expect(effort({ thinking: { type: 'enabled', budget_tokens: 10000 } }).effort).toBe('medium');
    expect(effort({ thinking: { type: 'enabled', budget_tokens: 31999 } }).effort).toBe('high');
    expect(effort({ thinking: { type: 'enabled', budget_tokens: 64000 } }).effort).toBe('xhigh');
    expect(effort({ thinking: on, output_config: { effort: 'high' } }).effort).toBe('high');
    expect(effort({ thinking: on, output_config: { effort: 'max' } }).effort).toBe('xhigh');
    expect(effort({ thinking: { type: 'adaptive', display: 'omitted' }, output_config: { effort: 'low' } })).toEqual({
      effort: 'low',
    });
  });

  it('thinking off or absent: the cheapest listed effort and no summaries, whatever effort rides along', () => {
    expect(effort({})).toEqual({ effort: 'low' });
    expect(effort({ thinking: { type: 'disabled' }, output_config: { effort: 'high' } })).toEqual({ effort: 'low' });
    // Claude Code's WebSearch side call, as recorded: no thinking, the session's effort `high`.
    const side = loadFixture('claude-code/web-search-side-call.json').body;
    const out = translateRequest(parseMessagesRequest(JSON.stringify(side)), ctx());
    expect(out.body.reasoning).toEqual({ effort: 'low' });
    expect(out.thinking).toBe('none');
  });

  it('sends service_tier priority only for fast mode on a model that offers it', () => {
    expect(translate(user('x'), { fastMode: true }).body.service_tier).toBe('priority');
    expect(translate(user('x'), { fastMode: true, model: model('gpt-5.4-mini') }).body).not.toHaveProperty(
      'service_tier',
    );
    expect(translate(user('x'), { fastMode: false }).body).not.toHaveProperty('service_tier');
    expect(translate({ speed: 'fast', ...user('x') }).body.service_tier).toBe('priority');
    expect(Object.keys(translate(user('x'), { fastMode: true }).body).slice(0, 4)).toEqual([
      'model',
      'stream',
      'service_tier',
      'input',
    ]);
  });
});

describe('translateRequest: system text, threads and responses-lite', () => {
  it('strips the per-request attribution line from string and block system prompts alike', () => {
    const a = translate({
      system: 'x-anthropic-billing-header: cc_version=2.1.332.e8f; cch=1a2b3;\nBe brief.',
      ...user('hi'),
    }).body;
    const b = translate({
      system: [
        { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.332.e8f; cch=ffff9;' },
        { type: 'text', text: 'Be brief.' },
      ],
      ...user('hi'),
    }).body;
    expect(a.input[0]).toEqual({
      type: 'message',
      role: 'developer',
      content: [{ type: 'input_text', text: 'Be brief.' }],
    });
    expect(b.input[0]).toEqual(a.input[0]);
  });

  it('a subagent is its own thread of the session: own cache key and thread, the session as parent', () => {
    const agent = threadIdentity(SESSION, 'agent-7');
    const { body } = translate(user('hi'), { thread: agent });
    expect(agent.threadId).not.toBe(SESSION);
    expect(threadIdentity(SESSION, 'agent-7')).toEqual(agent);
    expect(threadIdentity(SESSION, 'agent-8').threadId).not.toBe(agent.threadId);
    expect(body.prompt_cache_key).toBe(agent.threadId);
    expect(body.client_metadata).toMatchObject({
      session_id: SESSION,
      thread_id: agent.threadId,
      'x-codex-window-id': `${agent.threadId}:0`,
      'x-codex-parent-thread-id': SESSION,
      'x-openai-subagent': 'collab_spawn',
    });
    expect(JSON.parse(body.client_metadata['x-codex-turn-metadata']!)).toMatchObject({
      session_id: SESSION,
      thread_id: agent.threadId,
      parent_thread_id: SESSION,
      subagent_kind: 'thread_spawn',
      thread_source: 'subagent',
    });
  });

  it('responses-lite models (catalogue use_responses_lite): tools as an additional_tools item, reasoning.context', () => {
    const lite: ResolvedModel = {
      slug: 'gpt-6.1-sol',
      info: { ...findModel(BUILTIN_MODELS, 'gpt-5.5')!, id: 'gpt-6.1-sol', useResponsesLite: true },
      tier: null,
    };
    const { body } = translate(
      {
        system: 'Be brief.',
        tools: [
          { name: 'Bash', description: 'run', input_schema: { type: 'object', properties: {} } },
          { type: 'web_search_20250305', name: 'web_search' },
        ],
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
        ],
      },
      { model: lite },
    );
    expect(body).not.toHaveProperty('tools');
    expect(body.input[0]).toEqual({
      type: 'additional_tools',
      role: 'developer',
      tools: [
        {
          type: 'namespace',
          name: 'functions',
          description: '',
          tools: [
            { type: 'function', name: 'Bash', description: 'run', strict: false, parameters: expect.any(Object) },
          ],
        },
        { type: 'web_search', external_web_access: true },
      ],
    });
    expect(body.input[1]).toMatchObject({ role: 'developer' });
    expect(body.input[3]).toEqual({
      type: 'function_call',
      name: 'Bash',
      namespace: 'functions',
      arguments: '{}',
      call_id: 'toolu_1',
    });
    expect(body.reasoning).toMatchObject({ context: 'all_turns' });
    expect(Object.keys(body.reasoning).at(-1)).toBe('context');
  });
});
