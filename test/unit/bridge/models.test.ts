import { describe, expect, it } from 'vitest';
import type { CodexModel } from '../../../src/shared/schemas/codexModel.js';
import { BUILTIN_MODELS, usableContextWindow, withCatalogueFacts } from '../../../src/translate/codexModels.js';
import { countRequestTokens } from '../../../src/translate/countTokens.js';
import {
  findModelInfo,
  listModelInfos,
  ModelInfoSchema,
  ModelListQuerySchema,
  paginateModels,
} from '../../../src/translate/modelList.js';
import { clampEffort } from '../../../src/translate/reasoningEffort.js';
import { accountDefaultModel, resolveModel, type ModelResolutionContext } from '../../../src/translate/resolveModel.js';
import type { ResponsesRequest } from '../../../src/translate/responsesSchema.js';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

/** The shape `codex app-server` model/list returns (trimmed), with 0.169.0's small "luna" model. */
const LISTED: CodexModel[] = [
  {
    id: 'gpt-6.1-sol',
    displayName: 'GPT-6.1-Sol',
    isDefault: true,
    supportedReasoningEfforts: ['low', 'medium', 'high', 'xhigh', 'max', 'ultra'].map((reasoningEffort) => ({
      reasoningEffort,
    })),
  },
  { id: 'gpt-6-luna', displayName: 'GPT-6 Luna', supportedReasoningEfforts: [{ reasoningEffort: 'medium' }] },
  { id: 'codex-auto-review', hidden: true },
];
const ctx = (over: Partial<ModelResolutionContext> = {}): ModelResolutionContext => ({
  accountModel: null,
  tierModels: { opus: null, sonnet: null, haiku: null },
  available: LISTED,
  ...over,
});

describe('resolveModel', () => {
  it('uses a Codex slug as is, listed or not', () => {
    expect(resolveModel('gpt-6-luna', ctx())).toMatchObject({ slug: 'gpt-6-luna', tier: null, info: LISTED[1] });
    expect(resolveModel('gpt-5.2-codex', ctx()).slug).toBe('gpt-5.2-codex');
  });

  it('maps Claude names and the ccbridge aliases by tier', () => {
    expect(resolveModel('claude-opus-4-5-20251101', ctx()).slug).toBe('gpt-6.1-sol');
    expect(resolveModel('claude-sonnet-4-5', ctx({ accountModel: 'gpt-5.5' })).slug).toBe('gpt-5.5');
    expect(
      resolveModel('ccbridge-sonnet', ctx({ tierModels: { opus: null, sonnet: 'gpt-6-luna', haiku: null } })).slug,
    ).toBe('gpt-6-luna');
    expect(resolveModel('ccbridge-opus', ctx({ tierModels: { opus: 'gpt-x', sonnet: null, haiku: null } })).slug).toBe(
      'gpt-x',
    );
    expect(resolveModel('claude-haiku-4-5', ctx())).toMatchObject({ slug: 'gpt-6-luna', tier: 'haiku' });
    expect(resolveModel('ccbridge-haiku', ctx({ available: BUILTIN_MODELS })).slug).toBe('gpt-5.4-mini');
    expect(
      resolveModel('claude-haiku-4-5', ctx({ tierModels: { opus: null, sonnet: null, haiku: 'gpt-5.2' } })).slug,
    ).toBe('gpt-5.2');
    expect(resolveModel('claude-haiku-4-5', ctx({ available: [LISTED[0]!], accountModel: 'gpt-5.5' })).slug).toBe(
      'gpt-5.5',
    );
  });

  it('sends anything else to the account model', () => {
    expect(resolveModel('some-gateway-alias', ctx({ accountModel: 'gpt-5.5' })).slug).toBe('gpt-5.5');
    expect(accountDefaultModel(null, LISTED)).toBe('gpt-6.1-sol');
    expect(accountDefaultModel(null, [])).toBe('gpt-5.5');
  });
});

describe('clampEffort', () => {
  it('picks the highest supported effort not above the wish, else the lowest', () => {
    expect(clampEffort('max', LISTED[0])).toBe('max');
    expect(clampEffort('max', BUILTIN_MODELS[0])).toBe('xhigh');
    expect(clampEffort('ultra', BUILTIN_MODELS[0])).toBe('xhigh');
    expect(clampEffort('high', LISTED[1])).toBe('medium');
    expect(clampEffort('low', undefined)).toBe('low');
  });
});

describe('model list', () => {
  const all = listModelInfos(ctx());

  it('lists the ccbridge aliases, then the visible models, as Anthropic ModelInfo', () => {
    expect(all.map((m) => m.id)).toEqual([
      'ccbridge-opus',
      'ccbridge-sonnet',
      'ccbridge-haiku',
      'gpt-6.1-sol',
      'gpt-6-luna',
    ]);
    for (const m of all) ModelInfoSchema.parse(m);
    expect(all[2]!.display_name).toBe('ccbridge haiku → gpt-6-luna');
    expect(all[3]).toMatchObject({
      type: 'model',
      display_name: 'GPT-6.1-Sol',
      max_input_tokens: 272000,
      created_at: '2025-01-01T00:00:00Z',
    });
  });

  it('paginates with limit, after_id and before_id', () => {
    const q = (query: Record<string, string>) => paginateModels(all, ModelListQuerySchema.parse(query));
    expect(q({ limit: '2' })).toEqual({
      data: all.slice(0, 2),
      has_more: true,
      first_id: 'ccbridge-opus',
      last_id: 'ccbridge-sonnet',
    });
    expect(q({ limit: '2', after_id: 'ccbridge-sonnet' })).toMatchObject({
      has_more: true,
      first_id: 'ccbridge-haiku',
      last_id: 'gpt-6.1-sol',
    });
    expect(q({ after_id: 'gpt-6.1-sol' })).toEqual({
      data: [all[4]],
      has_more: false,
      first_id: 'gpt-6-luna',
      last_id: 'gpt-6-luna',
    });
    expect(q({ limit: '2', before_id: 'gpt-6-luna' })).toMatchObject({
      first_id: 'ccbridge-haiku',
      last_id: 'gpt-6.1-sol',
      has_more: true,
    });
    expect(q({ after_id: 'gpt-6-luna' })).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
    expect(() => ModelListQuerySchema.parse({ limit: '0' })).toThrow();
  });

  it('finds one model, hidden ones included, and 404s unknown ids', () => {
    expect(findModelInfo('ccbridge-opus', ctx()).id).toBe('ccbridge-opus');
    expect(findModelInfo('codex-auto-review', ctx()).id).toBe('codex-auto-review');
    expect(() => findModelInfo('nope', ctx())).toThrow(/model 'nope' not found/);
  });
});

describe('countRequestTokens', () => {
  it('is the exact o200k count of the translated texts (plus fixed item and image costs)', async () => {
    const system = 'You are terse. <|endoftext|> is just text here.';
    const body: ResponsesRequest = {
      model: 'gpt-5.5',
      stream: true,
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: system }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Count these words, please.' }] },
        { type: 'function_call', name: 'Bash', arguments: '{"command":"ls -la"}', call_id: 'c1' },
        { type: 'function_call_output', call_id: 'c1', output: 'total 0' },
      ],
      tools: [],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      reasoning: { effort: 'low' },
      store: false,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'k',
      client_metadata: {},
    };
    const plain = { disallowedSpecial: new Set<string>() };
    const texts = [system, 'Count these words, please.', 'Bash', '{"command":"ls -la"}', 'total 0'];
    const expected = texts.reduce((n, t) => n + countTokens(t, plain), 0) + 4 * 4;
    expect(await countRequestTokens(body)).toBe(expected);
    const withImage = {
      ...body,
      input: [
        body.input[0]!,
        {
          type: 'message' as const,
          role: 'user' as const,
          content: [{ type: 'input_image' as const, image_url: `data:image/png;base64,${'A'.repeat(100000)}` }],
        },
      ],
    };
    expect(await countRequestTokens(withImage)).toBe(countTokens(system, plain) + 2 * 4 + 765);
    // Responses-lite: the tools travel as the first input item and count the same as a `tools` field.
    const bash = {
      type: 'function' as const,
      name: 'Bash',
      description: 'Run',
      strict: false as const,
      parameters: {},
    };
    const tools = [bash];
    const liteTools = [{ type: 'namespace' as const, name: 'functions' as const, description: '', tools }];
    const lite: ResponsesRequest = {
      ...body,
      input: [{ type: 'additional_tools', role: 'developer', tools: liteTools }, ...body.input],
    };
    expect(await countRequestTokens(lite)).toBe(expected + 4 + countTokens(JSON.stringify(liteTools), plain));
    expect(await countRequestTokens({ ...body, tools })).toBe(expected + countTokens(JSON.stringify(tools), plain));
  });
});

describe('usable context window', () => {
  // codex 0.169.0's bundled catalogue; `model/list` itself carries no window.
  const catalogue = [
    { id: 'gpt-6.1-sol', contextWindow: 272_000, effectiveContextWindowPercent: 95 },
    { id: 'gpt-6.1-terra', contextWindow: 500_000, effectiveContextWindowPercent: 95, useResponsesLite: true },
  ];

  it('is the catalogue window × its effective percent (258400 for 272k models, 475000 for gpt-6.1-terra)', () => {
    expect(usableContextWindow(catalogue[0])).toBe(258_400);
    expect(usableContextWindow(catalogue[1])).toBe(475_000);
    expect(usableContextWindow(undefined)).toBe(258_400);
    expect(usableContextWindow(BUILTIN_MODELS[0])).toBe(258_400);
  });

  it('an account’s model/list gets the window from the catalogue entry of the same model', () => {
    const listed = withCatalogueFacts([{ id: 'gpt-6.1-terra', displayName: 'Terra' }, { id: 'gpt-x' }], catalogue);
    expect(listed[0]).toMatchObject({ displayName: 'Terra', contextWindow: 500_000, useResponsesLite: true });
    expect(usableContextWindow(listed[0])).toBe(475_000);
    expect(listed[1]).toEqual({ id: 'gpt-x' });
  });
});
