import { AnthropicApiError } from './anthropicError.js';
import type { AnthropicUsage, StopReason, WebSearchCitation, WebSearchResult } from './anthropicResponseSchema.js';
import type { AnthropicSink } from './anthropicSink.js';
import type { ThinkingOutput } from './reasoningEffort.js';
import { encodeReasoningSignature } from './reasoningSignature.js';
import { StopSequenceMatcher } from './stopSequenceMatcher.js';
import type { ToolNameMap } from './toolNames.js';
import { classifyStreamFailure, type FailureContext, type FailureKind } from './upstreamErrors.js';
import {
  upstreamEventError,
  type UpstreamEvent,
  type UpstreamItem,
  type UpstreamResponse,
  type UpstreamUsage,
} from './upstreamEvents.js';

/**
 * Upstream Responses SSE events → Anthropic stream calls on a sink. One instance per response.
 * Blocks open lazily at their first delta and close when the next item starts or on `output_item.done`,
 * so block indexes are dense and in order; reasoning items become thinking blocks whose signature carries
 * the encrypted reasoning (see reasoningSignature.ts).
 */

export interface StreamTranslatorOptions {
  /** The model name the client asked for, echoed in `message.model`. */
  model: string;
  accountId: string;
  toolNames: ToolNameMap;
  /** Which thinking blocks the client gets (see reasoningEffort.ts). */
  thinking: ThinkingOutput;
  failure: FailureContext;
  /** Anthropic `stop_sequences`: the text ends before the first one found (the backend has no `stop`). */
  stopSequences?: readonly string[];
}

type OpenKind = 'text' | 'thinking' | 'tool_use';

interface OpenBlock {
  index: number;
  kind: OpenKind;
  key: string;
  /** tool_use: arguments streamed so far; thinking: whether any text was emitted. */
  sent: string;
  pendingSeparator: boolean;
}

/** `input_tokens` excludes cached tokens, which Anthropic reports as cache reads (anthropic.md §7 usage.py). */
export function mapUsage(usage: UpstreamUsage | null | undefined, webSearches = 0): AnthropicUsage {
  const input = usage?.input_tokens ?? 0;
  const cached = Math.min(input, usage?.input_tokens_details?.cached_tokens ?? 0);
  return {
    input_tokens: input - cached,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
    output_tokens: usage?.output_tokens ?? 0,
    ...(webSearches ? { server_tool_use: { web_search_requests: webSearches } } : {}),
  };
}

export function stopReasonFor(
  status: 'completed' | 'incomplete',
  incompleteReason: string | undefined,
  sawToolUse: boolean,
  refused: boolean,
): StopReason {
  if (status === 'incomplete') {
    if (incompleteReason === 'content_filter') return 'refusal';
    return 'max_tokens';
  }
  if (refused) return 'refusal';
  return sawToolUse ? 'tool_use' : 'end_turn';
}

function messageId(response: UpstreamResponse | undefined): string {
  const id = response?.id;
  if (id) return `msg_${id.replace(/^resp_/, '')}`;
  return `msg_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

export class StreamTranslator {
  private started = false;
  private nextIndex = 0;
  private open: OpenBlock | null = null;
  private sawToolUse = false;
  private refused = false;
  private webSearches = 0;
  /** Web searches whose result block waits for the links the answer cites (see webSearchDone). */
  private pendingSearches: string[] = [];
  private readonly stops: StopSequenceMatcher;
  /** Characters of text, thinking and tool input sent, for the usage estimate of a response cut short. */
  private outputChars = 0;
  /** True once message_stop or an error went out. */
  done = false;
  /** The response ended at a stop sequence before upstream finished: the upstream is to be aborted. */
  cutShort = false;
  /** Final usage (mapped), for the proxy outcome. */
  usage: AnthropicUsage | null = null;
  /** Reasoning tokens of the final usage (Anthropic's usage has no field for them), for the usage history. */
  reasoningTokens = 0;
  stopReason: StopReason | null = null;
  error: AnthropicApiError | null = null;
  failureKind: FailureKind | null = null;

  constructor(
    private readonly sink: AnthropicSink,
    private readonly opts: StreamTranslatorOptions,
  ) {
    this.stops = new StopSequenceMatcher(opts.stopSequences ?? []);
  }

  /** Output tokens so far, for the live view: upstream's count once it came, else ~4 characters a token. */
  get outputTokensSoFar(): number {
    return this.usage?.output_tokens ?? Math.ceil(this.outputChars / 4);
  }

  handle(ev: UpstreamEvent): void {
    if (this.done) return;
    switch (ev.type) {
      case 'response.created':
      case 'response.in_progress':
        this.start(ev.response);
        return;
      case 'response.output_item.added':
        this.start();
        if (ev.item) this.itemAdded(ev.item, keyOf(ev));
        return;
      case 'response.output_text.delta':
        this.text(keyOf(ev), ev.delta);
        return;
      case 'response.refusal.delta':
        this.refused = true;
        this.text(keyOf(ev), ev.delta);
        return;
      case 'response.reasoning_summary_part.added':
        if (this.open?.kind === 'thinking' && this.open.key === keyOf(ev) && this.open.sent)
          this.open.pendingSeparator = true;
        return;
      case 'response.reasoning_summary_text.delta':
        if (this.opts.thinking === 'full') this.thinking(keyOf(ev), ev.delta);
        return;
      case 'response.function_call_arguments.delta':
        if (this.open?.kind === 'tool_use' && this.open.key === keyOf(ev) && ev.delta) {
          this.open.sent += ev.delta;
          this.outputChars += ev.delta.length;
          this.sink.inputJsonDelta(this.open.index, ev.delta);
        }
        return;
      case 'response.output_item.done':
        this.start();
        if (ev.item) this.itemDone(ev.item, keyOf(ev));
        return;
      case 'response.completed':
      case 'response.incomplete':
        this.finish(ev.type === 'response.completed' ? 'completed' : 'incomplete', ev.response);
        return;
      case 'response.failed':
      case 'error': {
        const failure = classifyStreamFailure(upstreamEventError(ev), this.opts.failure);
        this.failureKind = failure.kind;
        this.fail(failure.error);
        return;
      }
    }
  }

  /** The upstream body ended; without a terminal event that is a mid-stream death. */
  end(): void {
    if (!this.done)
      this.fail(
        new AnthropicApiError('api_error', 'the Codex backend closed the stream before the response completed'),
      );
  }

  fail(err: AnthropicApiError): void {
    if (this.done) return;
    this.done = true;
    this.error = err;
    this.sink.error(err);
  }

  private start(response?: UpstreamResponse): void {
    if (this.started) return;
    this.started = true;
    this.sink.messageStart({
      id: messageId(response),
      type: 'message',
      role: 'assistant',
      model: this.opts.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: mapUsage(null),
    });
  }

  private openBlock(kind: OpenKind, key: string, block: Parameters<AnthropicSink['blockStart']>[1]): OpenBlock {
    this.closeOpen();
    const open: OpenBlock = { index: this.nextIndex++, kind, key, sent: '', pendingSeparator: false };
    this.open = open;
    this.sink.blockStart(open.index, block);
    return open;
  }

  private closeOpen(): void {
    if (!this.open) return;
    if (this.open.kind === 'text') {
      const held = this.stops.flush(); // the block ended without completing a sequence
      if (held) this.sink.textDelta(this.open.index, held);
    }
    this.sink.blockStop(this.open.index);
    this.open = null;
  }

  private text(key: string, delta: string | undefined): void {
    if (!delta) return;
    this.start();
    // Opening a block closes the previous one first, which releases the tail held back for it.
    const open =
      this.open?.kind === 'text' && this.open.key === key
        ? this.open
        : this.openBlock('text', key, { type: 'text', text: '', citations: null });
    const { text, stop } = this.stops.active ? this.stops.push(delta) : { text: delta, stop: null };
    if (text) {
      this.outputChars += text.length;
      this.sink.textDelta(open.index, text);
    }
    if (stop !== null) this.stopAt(stop);
  }

  /**
   * A stop sequence ended the text: the message ends here as Anthropic's would, and the rest of the upstream
   * response is dropped. Its usage never arrives, so the prompt is estimated and the output counted.
   */
  private stopAt(sequence: string): void {
    this.closeOpen();
    this.usage = {
      ...mapUsage(null, this.webSearches),
      input_tokens: this.opts.failure.promptTokens(),
      output_tokens: Math.ceil(this.outputChars / 4),
    };
    this.stopReason = 'stop_sequence';
    this.done = true;
    this.cutShort = true;
    this.sink.messageDelta(this.stopReason, this.usage, sequence);
    this.sink.messageStop();
  }

  private thinking(key: string, delta: string | undefined): void {
    if (!delta) return;
    this.start();
    const open =
      this.open?.kind === 'thinking' && this.open.key === key
        ? this.open
        : this.openBlock('thinking', key, { type: 'thinking', thinking: '', signature: '' });
    if (open.pendingSeparator) {
      open.pendingSeparator = false;
      this.sink.thinkingDelta(open.index, '\n\n');
    }
    open.sent = 'y';
    this.outputChars += delta.length;
    this.sink.thinkingDelta(open.index, delta);
  }

  private itemAdded(item: UpstreamItem, key: string): void {
    if (item.type === 'function_call') {
      this.openBlock('tool_use', key, {
        type: 'tool_use',
        id: item.call_id ?? key,
        name: this.opts.toolNames.fromUpstream(item.name ?? ''),
        input: {},
      });
    } else if (this.open && this.open.key !== key) {
      this.closeOpen();
    }
  }

  private itemDone(item: UpstreamItem, key: string): void {
    switch (item.type) {
      case 'message':
        this.messageDone(item, key);
        return;
      case 'reasoning':
        this.reasoningDone(item, key);
        return;
      case 'function_call':
        this.functionCallDone(item, key);
        return;
      case 'web_search_call':
        this.webSearchDone(item, key);
        return;
    }
  }

  private messageDone(item: UpstreamItem, key: string): void {
    if (this.open?.key !== key) {
      // Nothing was streamed for this message: emit its final text in one delta.
      for (const part of item.content ?? []) {
        if (part.type === 'refusal') this.refused = true;
        this.text(key, part.text ?? part.refusal);
        if (this.done) return; // cut at a stop sequence
      }
    }
    const citations = citationsOf(item);
    if (this.open?.key === key) {
      if (this.open.kind === 'text') for (const c of citations) this.sink.citationDelta(this.open.index, c);
      this.closeOpen();
    }
    this.resolveSearches(linksOf(citations));
  }

  private reasoningDone(item: UpstreamItem, key: string): void {
    if (this.opts.thinking === 'none') return;
    let open = this.open?.kind === 'thinking' && this.open.key === key ? this.open : null;
    if (!open) {
      const summary =
        this.opts.thinking === 'full'
          ? (item.summary ?? [])
              .map((s) => s.text)
              .filter(Boolean)
              .join('\n\n')
          : '';
      if (!summary && !item.encrypted_content) return; // nothing to show or replay
      open = this.openBlock('thinking', key, { type: 'thinking', thinking: '', signature: '' });
      if (summary) this.sink.thinkingDelta(open.index, summary);
    }
    if (item.encrypted_content)
      this.sink.signatureDelta(open.index, encodeReasoningSignature(this.opts.accountId, item.encrypted_content));
    this.closeOpen();
  }

  private functionCallDone(item: UpstreamItem, key: string): void {
    this.sawToolUse = true;
    const args = item.arguments ?? '';
    let open = this.open?.kind === 'tool_use' && this.open.key === key ? this.open : null;
    if (!open) {
      open = this.openBlock('tool_use', key, {
        type: 'tool_use',
        id: item.call_id ?? key,
        name: this.opts.toolNames.fromUpstream(item.name ?? ''),
        input: {},
      });
    }
    // Deltas are a courtesy; the item's final arguments are the truth (codex reads only these).
    if (args && args !== open.sent && args.startsWith(open.sent))
      this.sink.inputJsonDelta(open.index, args.slice(open.sent.length));
    this.closeOpen();
  }

  /**
   * A search becomes `server_tool_use` now; its `web_search_tool_result` needs the links, which the backend
   * gives only as `url_citation`s on the answer that follows (codex asks for no `action.sources`). So the
   * result block waits for that answer and goes out right after it: Claude Code's WebSearch tool reads
   * the links from it wherever it sits, and the answer still streams.
   */
  private webSearchDone(item: UpstreamItem, key: string): void {
    this.webSearches += 1;
    const id = `srvtoolu_${(item.id ?? key).replace(/[^a-zA-Z0-9_]/g, '')}`;
    const query = item.action?.query ?? item.action?.queries?.[0];
    const use = this.openBlock('tool_use', key, { type: 'server_tool_use', id, name: 'web_search', input: {} });
    if (query) this.sink.inputJsonDelta(use.index, JSON.stringify({ query }));
    this.closeOpen();
    const sources = (item.action?.sources ?? []).flatMap((s) =>
      s.url ? [{ url: s.url, title: s.title ?? s.url }] : [],
    );
    if (sources.length) this.searchResult(id, sources);
    else this.pendingSearches.push(id);
  }

  /** Every search still waiting gets the links the answer cited (which search found which is not said). */
  private resolveSearches(links: { url: string; title: string }[]): void {
    const pending = this.pendingSearches;
    this.pendingSearches = [];
    for (const id of pending) this.searchResult(id, links);
  }

  private searchResult(toolUseId: string, links: { url: string; title: string }[]): void {
    const content: WebSearchResult[] = links.map(({ url, title }) => ({
      type: 'web_search_result',
      url,
      title,
      encrypted_content: '',
      page_age: null,
    }));
    const index = this.nextIndex++;
    this.sink.blockStart(index, { type: 'web_search_tool_result', tool_use_id: toolUseId, content });
    this.sink.blockStop(index);
  }

  private finish(status: 'completed' | 'incomplete', response: UpstreamResponse | undefined): void {
    this.start(response);
    this.closeOpen();
    this.resolveSearches([]); // searches no answer cited: each still gets its (empty) result
    this.usage = mapUsage(response?.usage, this.webSearches);
    this.reasoningTokens = response?.usage?.output_tokens_details?.reasoning_tokens ?? 0;
    this.stopReason = stopReasonFor(status, response?.incomplete_details?.reason, this.sawToolUse, this.refused);
    this.done = true;
    this.sink.messageDelta(this.stopReason, this.usage, null);
    this.sink.messageStop();
  }
}

/** The message's `url_citation` annotations as Anthropic citations, `cited_text` being the span they cite. */
function citationsOf(item: UpstreamItem): WebSearchCitation[] {
  const out: WebSearchCitation[] = [];
  for (const part of item.content ?? [])
    for (const a of part.annotations ?? []) {
      if (a.type !== 'url_citation' || !a.url) continue;
      const cited =
        typeof a.start_index === 'number' && typeof a.end_index === 'number'
          ? (part.text ?? '').slice(a.start_index, a.end_index)
          : '';
      out.push({
        type: 'web_search_result_location',
        url: a.url,
        title: a.title ?? null,
        encrypted_index: '',
        cited_text: cited,
      });
    }
  return out;
}

/** One link per URL, in order of first citation. */
function linksOf(citations: WebSearchCitation[]): { url: string; title: string }[] {
  const seen = new Map<string, string>();
  for (const c of citations) if (!seen.has(c.url)) seen.set(c.url, c.title ?? c.url);
  return [...seen].map(([url, title]) => ({ url, title }));
}

function keyOf(ev: UpstreamEvent): string {
  return ev.item_id ?? ev.item?.id ?? `#${ev.output_index ?? 0}`;
}
