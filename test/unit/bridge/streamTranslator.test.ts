import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { AnthropicMessageSchema, type AnthropicMessageOut } from '../../../src/translate/anthropicResponseSchema.js';
import { MessageAggregator } from '../../../src/translate/messageAggregator.js';
import { decodeReasoningSignature } from '../../../src/translate/reasoningSignature.js';
import { SseSink } from '../../../src/translate/sseSink.js';
import { mapUsage, StreamTranslator, type StreamTranslatorOptions } from '../../../src/translate/streamTranslator.js';
import { buildToolNameMap } from '../../../src/translate/toolNames.js';
import type { UpstreamEvent } from '../../../src/translate/upstreamEvents.js';
import { sse } from '../../fakes/codexBackend.js';

const LONG_TOOL = `mcp__${'server_'.repeat(8)}__${'tool_'.repeat(8)}`;
const opts = (over: Partial<StreamTranslatorOptions> = {}): StreamTranslatorOptions => ({
  model: 'claude-opus-4-5',
  accountId: 'acct1',
  toolNames: buildToolNameMap(['Bash', LONG_TOOL]),
  thinking: 'full',
  failure: { now: 0, accountName: 'work', model: 'gpt-5.5', contextWindow: 272000, promptTokens: () => 300000 },
  ...over,
});

interface SseEvent {
  event: string;
  data: any;
}

/**
 * Runs events through the SSE sink, one upstream chunk per event (as a paced stream arrives), and parses the
 * wire text back as a client would.
 */
function streamOf(
  events: UpstreamEvent[],
  over: Partial<StreamTranslatorOptions> = {},
  end = false,
  oneChunk = false,
): SseEvent[] {
  const sink = new SseSink('req_test');
  const t = new StreamTranslator(sink, opts(over));
  let wire = '';
  for (const ev of events) {
    t.handle(ev);
    if (!oneChunk) wire += sink.take();
  }
  if (end) t.end();
  wire += sink.take();
  const out: SseEvent[] = [];
  const parser = createParser({ onEvent: (m) => out.push({ event: m.event ?? '', data: JSON.parse(m.data) }) });
  parser.feed(wire);
  for (const e of out) expect(e.data.type).toBe(e.event); // the `event:` line always matches
  return out;
}

function messageOf(events: UpstreamEvent[], over: Partial<StreamTranslatorOptions> = {}): AnthropicMessageOut {
  const sink = new MessageAggregator();
  const t = new StreamTranslator(sink, opts(over));
  for (const ev of events) t.handle(ev);
  t.end();
  return AnthropicMessageSchema.parse(sink.result());
}

/** Partial JSON fragments of each tool block, concatenated. */
function toolJson(events: SseEvent[], index: number): string {
  return events
    .filter(
      (e) => e.event === 'content_block_delta' && e.data.index === index && e.data.delta.type === 'input_json_delta',
    )
    .map((e) => e.data.delta.partial_json)
    .join('');
}

describe('StreamTranslator → Anthropic SSE', () => {
  it('text: events in the order the SDK checks, usage at start and end, end_turn', () => {
    const events = streamOf(
      sse.response([sse.message(['Hel', 'lo'])], {
        usage: { input_tokens: 120, input_tokens_details: { cached_tokens: 20 }, output_tokens: 30 },
      }),
    );
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]!.data.message).toEqual({
      id: 'msg_fake1',
      type: 'message',
      role: 'assistant',
      model: 'claude-opus-4-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 },
    });
    expect(events[1]!.data).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '', citations: null },
    });
    expect(events[2]!.data.delta).toEqual({ type: 'text_delta', text: 'Hel' });
    expect(events[5]!.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 20, output_tokens: 30 },
    });
  });

  it('deltas of one block that arrive in one upstream chunk go out as one delta event', () => {
    const events = streamOf(
      sse.response([
        sse.reasoning(['a', 'b'], 'enc'),
        sse.message(['x', 'y', 'z']),
        sse.functionCall('Bash', { command: 'ls' }, 'c1', 'fc1', 4),
      ]),
      {},
      false,
      true,
    );
    const deltas = events
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => [e.data.index, e.data.delta.type]);
    expect(deltas).toEqual([
      [0, 'thinking_delta'],
      [0, 'signature_delta'],
      [1, 'text_delta'],
      [2, 'input_json_delta'],
    ]);
    expect(events.find((e) => e.data.index === 1 && e.event === 'content_block_delta')!.data.delta.text).toBe('xyz');
    expect(events.find((e) => e.data.index === 0 && e.event === 'content_block_delta')!.data.delta.thinking).toBe(
      'a\n\nb',
    );
    expect(JSON.parse(toolJson(events, 2))).toEqual({ command: 'ls' });
  });

  it('reasoning: a thinking block whose signature (just before its stop) carries the encrypted content; summary parts separated', () => {
    const events = streamOf(sse.response([sse.reasoning(['first', 'second'], 'gAAAA-enc'), sse.message('answer')]));
    const thinking = events.filter((e) => e.data.index === 0 && e.event !== 'content_block_start');
    expect(thinking.map((e) => e.data.delta?.type ?? e.event)).toEqual([
      'thinking_delta',
      'thinking_delta',
      'signature_delta',
      'content_block_stop',
    ]);
    expect(thinking.slice(0, 2).map((e) => e.data.delta.thinking)).toEqual(['first', '\n\nsecond']);
    expect(decodeReasoningSignature(thinking[2]!.data.delta.signature, 'acct1')).toBe('gAAAA-enc');
    expect(events.find((e) => e.event === 'content_block_start' && e.data.index === 1)!.data.content_block.type).toBe(
      'text',
    );
  });

  it('display omitted: no thinking text, only the signature', () => {
    const events = streamOf(sse.response([sse.reasoning(['hidden'], 'gAAAA-x'), sse.message('a')]), {
      thinking: 'signature',
    });
    const deltas = events.filter((e) => e.event === 'content_block_delta' && e.data.index === 0);
    expect(deltas.map((e) => e.data.delta.type)).toEqual(['signature_delta']);
  });

  it('tool calls: original names, input_json_delta concatenating to the exact arguments, tool_use stop; parallel calls', () => {
    const args1 = { command: 'echo "hi" && ls', description: 'x' };
    const events = streamOf(
      sse.response([
        sse.message('Running.'),
        sse.functionCall('Bash', args1, 'call_1', 'fc_1', 5),
        sse.functionCall(buildToolNameMap([LONG_TOOL]).toUpstream(LONG_TOOL), { q: 'ü' }, 'call_2', 'fc_2'),
      ]),
    );
    const starts = events.filter((e) => e.event === 'content_block_start').map((e) => e.data.content_block);
    expect(starts).toEqual([
      { type: 'text', text: '', citations: null },
      { type: 'tool_use', id: 'call_1', name: 'Bash', input: {} },
      { type: 'tool_use', id: 'call_2', name: LONG_TOOL, input: {} },
    ]);
    expect(JSON.parse(toolJson(events, 1))).toEqual(args1);
    expect(JSON.parse(toolJson(events, 2))).toEqual({ q: 'ü' });
    expect(events.find((e) => e.event === 'message_delta')!.data.delta.stop_reason).toBe('tool_use');
    // Blocks never interleave: each block stops before the next starts.
    const order = events
      .filter((e) => e.event.startsWith('content_block_') && e.event !== 'content_block_delta')
      .map((e) => `${e.event}:${e.data.index}`);
    expect(order).toEqual([
      'content_block_start:0',
      'content_block_stop:0',
      'content_block_start:1',
      'content_block_stop:1',
      'content_block_start:2',
      'content_block_stop:2',
    ]);
  });

  it('arguments that arrive only in output_item.done still stream as one delta', () => {
    const item = { id: 'fc_9', type: 'function_call', name: 'Bash', call_id: 'call_9', arguments: '{"command":"pwd"}' };
    const events = streamOf(sse.response([[{ type: 'response.output_item.done', item }]]));
    expect(toolJson(events, 0)).toBe('{"command":"pwd"}');
  });

  it('a message item with no deltas still emits its text', () => {
    const item = { id: 'msg_2', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'whole' }] };
    const events = streamOf(
      sse.response([
        [
          { type: 'response.output_item.added', item: { ...item, content: [] } },
          { type: 'response.output_item.done', item },
        ],
      ]),
    );
    expect(events.filter((e) => e.event === 'content_block_delta').map((e) => e.data.delta.text)).toEqual(['whole']);
  });

  it('stop reasons: max_output_tokens → max_tokens, content_filter → refusal, a refusal part → refusal', () => {
    const stop = (events: UpstreamEvent[]) =>
      streamOf(events).find((e) => e.event === 'message_delta')!.data.delta.stop_reason;
    expect(stop(sse.response([sse.message('cut')], { status: 'incomplete', reason: 'max_output_tokens' }))).toBe(
      'max_tokens',
    );
    expect(stop(sse.response([sse.message('cut')], { status: 'incomplete', reason: 'content_filter' }))).toBe(
      'refusal',
    );
    const refusal = [
      { type: 'response.output_item.added', item: { id: 'msg_r', type: 'message', content: [] } },
      { type: 'response.refusal.delta', item_id: 'msg_r', delta: 'I can’t help with that.' },
      {
        type: 'response.output_item.done',
        item: { id: 'msg_r', type: 'message', content: [{ type: 'refusal', refusal: 'I can’t help with that.' }] },
      },
    ];
    expect(stop(sse.response([refusal]))).toBe('refusal');
  });

  it('web search: server_tool_use with its query, the answer, its (uncited: empty) result, counted in usage', () => {
    const events = streamOf(sse.response([sse.webSearch('codex news'), sse.message('found')]));
    const starts = events.filter((e) => e.event === 'content_block_start').map((e) => e.data.content_block);
    expect(starts[0]).toEqual({ type: 'server_tool_use', id: 'srvtoolu_ws_fake1', name: 'web_search', input: {} });
    expect(JSON.parse(toolJson(events, 0))).toEqual({ query: 'codex news' });
    expect(starts[1]).toEqual({ type: 'text', text: '', citations: null });
    expect(starts[2]).toEqual({ type: 'web_search_tool_result', tool_use_id: 'srvtoolu_ws_fake1', content: [] });
    expect(events.find((e) => e.event === 'message_delta')!.data.usage.server_tool_use).toEqual({
      web_search_requests: 1,
    });
  });

  it('a failure after output becomes an SSE error event, then nothing more', () => {
    const head = sse.response([sse.message(['par', 'tial'])]).slice(0, 5);
    const overloaded = streamOf([
      ...head,
      { type: 'response.failed', response: { error: { code: 'server_is_overloaded', message: 'busy' } } },
      ...sse.message('late'),
    ]);
    expect(overloaded.at(-1)).toEqual({
      event: 'error',
      data: {
        type: 'error',
        error: { type: 'overloaded_error', message: 'Codex backend is overloaded: busy' },
        request_id: 'req_test',
      },
    });
    expect(overloaded.filter((e) => e.event === 'error')).toHaveLength(1);
    const tooLong = streamOf([
      ...head,
      {
        type: 'error',
        code: 'context_length_exceeded',
        message: 'Your input exceeds the context window of this model.',
      },
    ]);
    expect(tooLong.at(-1)!.data.error).toEqual({
      type: 'invalid_request_error',
      message: 'prompt is too long: 300000 tokens > 272000 maximum',
    });
  });

  it('an upstream that just stops is a mid-stream death: api_error event', () => {
    const events = streamOf(sse.response([sse.message('half')]).slice(0, 5), {}, true);
    expect(events.at(-1)!.data.error.type).toBe('api_error');
    expect(events.map((e) => e.event)).not.toContain('message_stop');
  });
});

describe('MessageAggregator: the non-stream message', () => {
  it('has every block with all its fields', () => {
    const msg = messageOf(
      sse.response([
        sse.reasoning(['why'], 'gAAAA-r'),
        sse.message('Let me check.'),
        sse.functionCall('Bash', { command: 'ls' }, 'call_1'),
        sse.functionCall('Bash', '{"broken', 'call_2'),
      ]),
    );
    expect(msg.content).toEqual([
      { type: 'thinking', thinking: 'why', signature: 'ccbridge.v1.acct1.gAAAA-r' },
      { type: 'text', text: 'Let me check.', citations: null },
      { type: 'tool_use', id: 'call_1', name: 'Bash', input: { command: 'ls' } },
      { type: 'tool_use', id: 'call_2', name: 'Bash', input: {} },
    ]);
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.usage).toEqual({
      input_tokens: 100,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 20,
      output_tokens: 30,
    });
  });

  it('throws the mapped error when the response failed', () => {
    const sink = new MessageAggregator();
    const t = new StreamTranslator(sink, opts());
    for (const ev of sse.failed('rate_limit_exceeded', 'Rate limit reached. Please try again in 11.054s.'))
      t.handle(ev);
    expect(() => sink.result()).toThrow(/rate limit/i);
    expect(t.failureKind).toBe('rate_limit');
    expect(t.error?.headers['retry-after']).toBe('12');
  });
});

describe('mapUsage', () => {
  it('splits cached tokens out of input tokens', () => {
    expect(mapUsage({ input_tokens: 1000, input_tokens_details: { cached_tokens: 900 }, output_tokens: 5 })).toEqual({
      input_tokens: 100,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 900,
      output_tokens: 5,
    });
    expect(mapUsage(undefined)).toEqual({
      input_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 0,
    });
  });
});
