import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { AnthropicMessageSchema } from '../../../src/translate/anthropicResponseSchema.js';
import { MessageAggregator } from '../../../src/translate/messageAggregator.js';
import { SseSink } from '../../../src/translate/sseSink.js';
import { StopSequenceMatcher } from '../../../src/translate/stopSequenceMatcher.js';
import { StreamTranslator, type StreamTranslatorOptions } from '../../../src/translate/streamTranslator.js';
import { buildToolNameMap } from '../../../src/translate/toolNames.js';
import { sse } from '../../fakes/codexBackend.js';

const opts = (stopSequences: string[]): StreamTranslatorOptions => ({
  model: 'claude-opus-4-5',
  accountId: 'acct1',
  toolNames: buildToolNameMap([]),
  thinking: 'full',
  failure: { now: 0, accountName: 'work', model: 'gpt-5.5', contextWindow: 272000, promptTokens: () => 1234 },
  stopSequences,
});

/** Feeds deltas one at a time; returns what was emitted, with the cut marked. */
function run(sequences: string[], deltas: string[]): { emitted: string[]; stop: string | null } {
  const m = new StopSequenceMatcher(sequences);
  const emitted: string[] = [];
  for (const d of deltas) {
    const r = m.push(d);
    if (r.text) emitted.push(r.text);
    if (r.stop !== null) return { emitted, stop: r.stop };
  }
  const rest = m.flush();
  if (rest) emitted.push(rest);
  return { emitted, stop: null };
}

describe('StopSequenceMatcher', () => {
  it('stops at the first occurrence and never emits the sequence, also when it is split across deltas', () => {
    expect(run(['END'], ['abc', 'END', 'more'])).toEqual({ emitted: ['abc'], stop: 'END' });
    expect(run(['END'], ['abcE', 'N', 'Dxyz'])).toEqual({ emitted: ['abc'], stop: 'END' });
    expect(run(['\n\nHuman:'], ['Hi.\n', '\nHu', 'man: next'])).toEqual({ emitted: ['Hi.'], stop: '\n\nHuman:' });
    expect(run(['b', 'abc'], ['xab'])).toEqual({ emitted: ['xa'], stop: 'b' });
    expect(run(['ab', 'abc'], ['xabc'])).toEqual({ emitted: ['x'], stop: 'abc' });
  });

  it('releases a held tail that turned out not to be a sequence, and passes everything through without sequences', () => {
    expect(run(['END'], ['abcE', 'Nx', 'yz'])).toEqual({ emitted: ['abc', 'ENx', 'yz'], stop: null });
    expect(run(['END'], ['tail E'])).toEqual({ emitted: ['tail ', 'E'], stop: null });
    expect(run([], ['a', 'b'])).toEqual({ emitted: ['a', 'b'], stop: null });
    expect(run([''], ['a'])).toEqual({ emitted: ['a'], stop: null });
  });
});

describe('StreamTranslator with stop_sequences', () => {
  const events = sse.response([sse.message(['Line one.\n', 'STO', 'P and the rest'])]);

  it('streaming: the text ends before the sequence; message_delta says stop_sequence and which one', () => {
    const sink = new SseSink('req_t');
    const t = new StreamTranslator(sink, opts(['STOP']));
    let wire = '';
    for (const ev of events) {
      t.handle(ev);
      wire += sink.take();
    }
    expect(t.cutShort).toBe(true);
    interface Ev {
      event: string;
      data: { delta?: { type?: string; text?: string }; usage?: unknown };
    }
    const out: Ev[] = [];
    createParser({ onEvent: (m) => out.push({ event: m.event ?? '', data: JSON.parse(m.data) }) }).feed(wire);
    const text = out
      .filter((e) => e.data.delta?.type === 'text_delta')
      .map((e) => e.data.delta?.text)
      .join('');
    expect(text).toBe('Line one.\n');
    const delta = out.find((e) => e.event === 'message_delta')!.data;
    expect(delta.delta).toEqual({ stop_reason: 'stop_sequence', stop_sequence: 'STOP' });
    expect(delta.usage).toMatchObject({ input_tokens: 1234, output_tokens: 3, cache_read_input_tokens: 0 });
    expect(out.map((e) => e.event).slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
  });

  it('non-streaming: the Message carries the cut text, stop_reason and stop_sequence', () => {
    const sink = new MessageAggregator();
    const t = new StreamTranslator(sink, opts(['nope', 'STOP']));
    for (const ev of events) t.handle(ev);
    const msg = AnthropicMessageSchema.parse(sink.result());
    expect(msg).toMatchObject({
      content: [{ type: 'text', text: 'Line one.\n', citations: null }],
      stop_reason: 'stop_sequence',
      stop_sequence: 'STOP',
    });
  });

  it('a response without the sequence ends normally with stop_sequence null and nothing held back', () => {
    const sink = new MessageAggregator();
    const t = new StreamTranslator(sink, opts(['STOPPED']));
    for (const ev of events) t.handle(ev);
    expect(sink.result()).toMatchObject({
      content: [{ type: 'text', text: 'Line one.\nSTOP and the rest' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
    expect(t.cutShort).toBe(false);
  });
});
