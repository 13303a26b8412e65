import { describe, expect, it } from 'vitest';
import { AnthropicApiError } from '../../../src/translate/anthropicError.js';
import type { AnthropicTool } from '../../../src/translate/anthropicSchema.js';
import type { ResponsesTool } from '../../../src/translate/responsesSchema.js';
import { buildToolNameMap } from '../../../src/translate/toolNames.js';
import { translateToolChoice } from '../../../src/translate/translateToolChoice.js';
import { backendRefusal } from '../../fakes/codexBackendRules.js';

const requestTools: AnthropicTool[] = [
  { name: 'Read', input_schema: { type: 'object' } },
  { name: 'web_search', type: 'web_search_20250305' },
  { name: 'web_fetch', type: 'web_fetch_20250910' },
];
const upstream: ResponsesTool[] = [
  { type: 'function', name: 'Read', description: '', strict: false, parameters: { type: 'object', properties: {} } },
  { type: 'web_search', external_web_access: true },
];
const names = buildToolNameMap(['Read']);
const choose = (choice: Parameters<typeof translateToolChoice>[0], tools = requestTools, up = upstream) =>
  translateToolChoice(choice, tools, up, names);
/** The body the fake backend checks, with what the choice produced. */
const accepted = (out: ReturnType<typeof choose>) =>
  backendRefusal({ model: 'gpt-5.5', stream: true, store: false, input: [], ...out });

describe('translateToolChoice', () => {
  it('auto, none and any map to what the Responses API takes, and the backend accepts each', () => {
    for (const [choice, expected] of [
      [undefined, 'auto'],
      [{ type: 'auto' }, 'auto'],
      [{ type: 'none' }, 'none'],
      [{ type: 'any' }, 'required'],
    ] as const) {
      const out = choose(choice);
      expect(out).toEqual({ tools: upstream, tool_choice: expected });
      expect(accepted(out)).toBeNull();
    }
  });

  it('a named custom tool is a function choice; naming web_search forces it as the only tool', () => {
    const read = choose({ type: 'tool', name: 'Read' });
    expect(read.tool_choice).toEqual({ type: 'function', name: 'Read' });
    expect(accepted(read)).toBeNull();
    const search = choose({ type: 'tool', name: 'web_search' });
    expect(search).toEqual({ tools: [{ type: 'web_search', external_web_access: true }], tool_choice: 'required' });
    expect(accepted(search)).toBeNull();
  });

  it('a choice the backend would refuse is a clear 400 naming the problem instead', () => {
    const refused = (choice: Parameters<typeof choose>[0], tools = requestTools, up = upstream) => {
      try {
        choose(choice, tools, up);
      } catch (err) {
        expect(err).toBeInstanceOf(AnthropicApiError);
        expect((err as AnthropicApiError).status).toBe(400);
        return (err as AnthropicApiError).message;
      }
      throw new Error('not refused');
    };
    expect(refused({ type: 'tool', name: 'Ghost' })).toMatch(/tool 'Ghost' is not among the request's tools/);
    expect(refused({ type: 'tool', name: 'web_fetch' })).toMatch(/'web_fetch' is a server tool/);
    expect(refused({ type: 'tool' })).toMatch(/needs the name/);
    expect(refused({ type: 'any' }, [], [])).toMatch(/"any" needs tools/);
    expect(refused({ type: 'any' }, [requestTools[2]!], [])).toMatch(/none of the given tools/);
    // What the fake backend says to the same choices sent through as they are:
    expect(accepted({ tools: upstream, tool_choice: { type: 'function', name: 'Ghost' } })?.status).toBe(400);
    expect(accepted({ tools: [], tool_choice: 'required' })?.status).toBe(400);
  });
});
