import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AnthropicApiError } from '../../../src/translate/anthropicError.js';
import { parseMessagesRequest } from '../../../src/translate/parseMessagesRequest.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/claude-code/${name}`, import.meta.url), 'utf8')).body;

function rejection(body: unknown): AnthropicApiError {
  try {
    parseMessagesRequest(typeof body === 'string' ? body : JSON.stringify(body));
  } catch (err) {
    expect(err).toBeInstanceOf(AnthropicApiError);
    return err as AnthropicApiError;
  }
  throw new Error('expected a rejection');
}

describe('parseMessagesRequest', () => {
  it('accepts what Claude Code 2.1.332 really sends (captured requests)', () => {
    for (const name of [
      'first-turn.json',
      'tool-round-trip.json',
      'mid-conversation-system.json',
      'web-search-side-call.json',
    ]) {
      const body = fixture(name);
      const req = parseMessagesRequest(JSON.stringify(body));
      expect(req.model).toBe(body.model);
      expect(req.messages.length).toBe(body.messages.length);
      // lenient: fields the bridge does not read survive untouched
      expect((req as Record<string, unknown>).context_management).toEqual(body.context_management);
      expect(req.messages.map((m) => m.role)).toEqual(body.messages.map((m: { role: string }) => m.role));
    }
  });

  it('passes unknown fields, documented blocks it drops and unknown tool types through', () => {
    const req = parseMessagesRequest(
      JSON.stringify({
        model: 'claude-x',
        max_tokens: 10,
        future_field: { a: 1 },
        thinking: { type: 'adaptive', display: 'omitted' },
        output_config: { effort: 'max' },
        tools: [
          { type: 'code_execution_20250825', name: 'code_execution' },
          { name: 'T', input_schema: { type: 'object' }, defer_loading: true },
        ],
        messages: [
          { role: 'system', content: 'be brief' },
          {
            role: 'user',
            content: [
              { type: 'container_upload', file_id: 'f' },
              { type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } },
            ],
          },
        ],
      }),
    );
    expect((req as Record<string, unknown>).future_field).toEqual({ a: 1 });
    expect(req.messages[1]!.content).toHaveLength(2);
  });

  it('names the path of a bad field in a 400', () => {
    const e = rejection({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'ok' },
            { type: 'text', text: 5 },
          ],
        },
      ],
    });
    expect(e.status).toBe(400);
    expect(e.errorType).toBe('invalid_request_error');
    expect(e.message).toBe('messages.0.content.1.text: expected string');
    expect(rejection({ model: 'm', messages: [{ role: 'user', content: 7 }] }).message).toBe(
      'messages.0.content: expected string or array',
    );
    expect(rejection({ messages: [] }).message).toMatch(/^model: /);
    expect(
      rejection({ model: 'm', messages: [{ role: 'user', content: [{ type: 'tool_use', id: 'x', input: {} }] }] })
        .message,
    ).toBe('messages.0.content.0.name: expected string');
    expect(rejection({ model: 'm', messages: [], tool_choice: { type: 'sometimes' } }).message).toMatch(
      /^tool_choice\.type: /,
    );
  });

  it('a block type it does not know is a 400 naming the block, also inside a tool_result', () => {
    const e = rejection({
      model: 'm',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'hologram', data: 1 }] },
      ],
    });
    expect(e.status).toBe(400);
    expect(e.message).toBe("messages.1.content.0.type: content block type 'hologram' is not supported by ccbridge");
    expect(
      rejection({
        model: 'm',
        messages: [
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'smell' }] }] },
        ],
      }).message,
    ).toBe("messages.0.content.0.content.0.type: tool_result content block type 'smell' is not supported");
  });

  it('rejects bad JSON and non-objects', () => {
    expect(rejection('{"model":').message).toMatch(/^request body is not valid JSON/);
    expect(rejection('[1,2]').message).toBe('request body must be a JSON object');
  });
});
