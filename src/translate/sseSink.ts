import { anthropicErrorEvent, type AnthropicApiError } from './anthropicError.js';
import type {
  AnthropicMessageOut,
  AnthropicUsage,
  OutBlock,
  StopReason,
  WebSearchCitation,
} from './anthropicResponseSchema.js';
import type { AnthropicSink } from './anthropicSink.js';

type DeltaKind = 'text_delta' | 'thinking_delta' | 'input_json_delta';
const FIELD: Record<DeltaKind, string> = {
  text_delta: 'text',
  thinking_delta: 'thinking',
  input_json_delta: 'partial_json',
};

/**
 * Writes Anthropic SSE (always with `event:` lines, which the SDK requires). Frames collect in a buffer the
 * caller drains once per upstream chunk, so one socket write carries many events. Consecutive deltas of one
 * block within a chunk merge into one delta event (Anthropic's deltas are arbitrary cuts of the text, and
 * partial JSON fragments concatenate the same either way): a burst of upstream tokens costs one event, and
 * only the merged text goes through JSON.stringify.
 */
export class SseSink implements AnthropicSink {
  private buf = '';
  private pending: { index: number; kind: DeltaKind; value: string } | null = null;

  constructor(private readonly requestId: string) {}

  /** Everything written since the last call. */
  take(): string {
    this.flushDelta();
    const out = this.buf;
    this.buf = '';
    return out;
  }

  private flushDelta(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    this.buf += `event: content_block_delta\ndata: {"type":"content_block_delta","index":${p.index},"delta":{"type":"${p.kind}","${FIELD[p.kind]}":${JSON.stringify(p.value)}}}\n\n`;
  }

  private delta(index: number, kind: DeltaKind, value: string): void {
    const p = this.pending;
    if (p && p.index === index && p.kind === kind) {
      p.value += value;
      return;
    }
    this.flushDelta();
    this.pending = { index, kind, value };
  }

  messageStart(message: AnthropicMessageOut): void {
    this.buf += `event: message_start\ndata: {"type":"message_start","message":${JSON.stringify(message)}}\n\n`;
  }

  blockStart(index: number, block: OutBlock): void {
    this.flushDelta();
    this.buf += `event: content_block_start\ndata: {"type":"content_block_start","index":${index},"content_block":${JSON.stringify(block)}}\n\n`;
  }

  textDelta(index: number, text: string): void {
    this.delta(index, 'text_delta', text);
  }

  thinkingDelta(index: number, thinking: string): void {
    this.delta(index, 'thinking_delta', thinking);
  }

  signatureDelta(index: number, signature: string): void {
    this.flushDelta();
    this.buf += `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"signature_delta","signature":${JSON.stringify(signature)}}}\n\n`;
  }

  inputJsonDelta(index: number, partialJson: string): void {
    this.delta(index, 'input_json_delta', partialJson);
  }

  citationDelta(index: number, citation: WebSearchCitation): void {
    this.flushDelta();
    this.buf += `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"citations_delta","citation":${JSON.stringify(citation)}}}\n\n`;
  }

  blockStop(index: number): void {
    this.flushDelta();
    this.buf += `event: content_block_stop\ndata: {"type":"content_block_stop","index":${index}}\n\n`;
  }

  messageDelta(stopReason: StopReason, usage: AnthropicUsage, stopSequence: string | null): void {
    this.flushDelta();
    this.buf += `event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"${stopReason}","stop_sequence":${JSON.stringify(stopSequence)}},"usage":${JSON.stringify(usage)}}\n\n`;
  }

  messageStop(): void {
    this.flushDelta();
    this.buf += 'event: message_stop\ndata: {"type":"message_stop"}\n\n';
  }

  error(err: AnthropicApiError): void {
    this.flushDelta();
    this.buf += anthropicErrorEvent(err, this.requestId);
  }
}

export const PING_EVENT = 'event: ping\ndata: {"type": "ping"}\n\n';
