import { describe, expect, it } from 'vitest';
import { AnthropicMessageSchema } from '../../../src/translate/anthropicResponseSchema.js';
import { MessageAggregator } from '../../../src/translate/messageAggregator.js';
import { SseSink } from '../../../src/translate/sseSink.js';
import { StreamTranslator, type StreamTranslatorOptions } from '../../../src/translate/streamTranslator.js';
import { buildToolNameMap } from '../../../src/translate/toolNames.js';
import type { UpstreamEvent } from '../../../src/translate/upstreamEvents.js';
import { sse } from '../../fakes/codexBackend.js';

const opts: StreamTranslatorOptions = {
  model: 'claude-opus-4-5',
  accountId: 'acct1',
  toolNames: buildToolNameMap([]),
  thinking: 'none',
  failure: { now: 0, accountName: 'work', model: 'gpt-5.5', contextWindow: 272000, promptTokens: () => 1 },
};
const CITES = [
  { url: 'https://example.test/a', title: 'Alpha', cited: 'ccbridge 1.0 shipped' },
  { url: 'https://example.test/b', title: 'Beta', cited: 'runs Claude Code on Codex' },
  { url: 'https://example.test/a', title: 'Alpha', cited: 'shipped' },
];
const answer = ['ccbridge 1.0 shipped', ' today; it runs Claude Code on Codex.'];

function messageOf(events: UpstreamEvent[]) {
  const sink = new MessageAggregator();
  const t = new StreamTranslator(sink, opts);
  for (const ev of events) t.handle(ev);
  return AnthropicMessageSchema.parse(sink.result());
}

describe('web search keeps its sources', () => {
  it('links from the answer’s url_citations fill web_search_tool_result; the text carries the citations', () => {
    const msg = messageOf(sse.response([sse.webSearch('ccbridge news'), sse.message(answer, 'msg_1', CITES)]));
    expect(msg.content.map((b) => b.type)).toEqual(['server_tool_use', 'text', 'web_search_tool_result']);
    expect(msg.content[0]).toMatchObject({ id: 'srvtoolu_ws_fake1', input: { query: 'ccbridge news' } });
    expect(msg.content[2]).toEqual({
      type: 'web_search_tool_result',
      tool_use_id: 'srvtoolu_ws_fake1',
      content: [
        {
          type: 'web_search_result',
          url: 'https://example.test/a',
          title: 'Alpha',
          encrypted_content: '',
          page_age: null,
        },
        {
          type: 'web_search_result',
          url: 'https://example.test/b',
          title: 'Beta',
          encrypted_content: '',
          page_age: null,
        },
      ],
    });
    const text = msg.content[1];
    expect(text).toMatchObject({ type: 'text', text: answer.join('') });
    expect(text?.type === 'text' && text.citations).toEqual([
      {
        type: 'web_search_result_location',
        url: 'https://example.test/a',
        title: 'Alpha',
        encrypted_index: '',
        cited_text: 'ccbridge 1.0 shipped',
      },
      expect.objectContaining({ url: 'https://example.test/b', cited_text: 'runs Claude Code on Codex' }),
      expect.objectContaining({ url: 'https://example.test/a', cited_text: 'shipped' }),
    ]);
    expect(msg.usage.server_tool_use).toEqual({ web_search_requests: 1 });
  });

  it('streaming: citations arrive as citations_delta on the text block, the result block complete at its start', () => {
    const sink = new SseSink('req_t');
    const t = new StreamTranslator(sink, opts);
    for (const ev of sse.response([sse.webSearch('q'), sse.message(answer, 'msg_1', CITES)])) t.handle(ev);
    const events = [...sink.take().matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!));
    const citations = events.filter((e) => e.delta?.type === 'citations_delta');
    expect(citations).toHaveLength(3);
    expect(citations[0]).toMatchObject({ index: 1, delta: { citation: { url: 'https://example.test/a' } } });
    const result = events.find((e) => e.content_block?.type === 'web_search_tool_result');
    expect(result).toMatchObject({ index: 2, content_block: { content: [{ title: 'Alpha' }, { title: 'Beta' }] } });
  });

  it('sources on the action (when the backend sends them) fill the result at once; two searches both resolve', () => {
    const withSources: UpstreamEvent[] = sse.webSearch('first').map((ev) =>
      ev.item?.status === 'completed'
        ? {
            ...ev,
            item: {
              ...ev.item,
              action: { type: 'search', query: 'first', sources: [{ type: 'url', url: 'https://s.test/' }] },
            },
          }
        : ev,
    );
    const msg = messageOf(
      sse.response([withSources, sse.webSearch('second', 'ws_2'), sse.message(answer, 'msg_1', CITES.slice(1, 2))]),
    );
    expect(msg.content.map((b) => b.type)).toEqual([
      'server_tool_use',
      'web_search_tool_result',
      'server_tool_use',
      'text',
      'web_search_tool_result',
    ]);
    expect(msg.content[1]).toMatchObject({ content: [{ url: 'https://s.test/', title: 'https://s.test/' }] });
    expect(msg.content[4]).toMatchObject({ tool_use_id: 'srvtoolu_ws_2', content: [{ title: 'Beta' }] });
    expect(msg.usage.server_tool_use).toEqual({ web_search_requests: 2 });
  });
});
