import { anthropicErrorEvent, type AnthropicApiError } from './anthropicError.js';
import type { AnthropicMessageOut, AnthropicUsage, OutBlock, StopReason } from './anthropicResponseSchema.js';
import type { AnthropicSink } from './anthropicSink.js';

/**
 * Writes Anthropic SSE (always with `event:` lines, which the SDK requires). Frames collect in a buffer the
 * caller drains once per upstream chunk, so one socket write carries many events; deltas are assembled from
 * templates so only the delta text itself goes through JSON.stringify.
 */
export class SseSink implements AnthropicSink {
  private buf = '';

  constructor(private readonly requestId: string) {}

  /** Everything written since the last call. */
  take(): string {
    const out = this.buf;
    this.buf = '';
    return out;
  }

  messageStart(message: AnthropicMessageOut): void {
    this.buf += `event: message_start\ndata: {"type":"message_start","message":${JSON.stringify(message)}}\n\n`;
  }

  blockStart(index: number, block: OutBlock): void {
    this.buf += `event: content_block_start\ndata: {"type":"content_block_start","index":${index},"content_block":${JSON.stringify(block)}}\n\n`;
  }

  private delta(index: number, type: string, field: string, value: string): void {
    this.buf += `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"${type}","${field}":${JSON.stringify(value)}}}\n\n`;
  }

  textDelta(index: number, text: string): void {
    this.delta(index, 'text_delta', 'text', text);
  }

  thinkingDelta(index: number, thinking: string): void {
    this.delta(index, 'thinking_delta', 'thinking', thinking);
  }

  signatureDelta(index: number, signature: string): void {
    this.delta(index, 'signature_delta', 'signature', signature);
  }

  inputJsonDelta(index: number, partialJson: string): void {
    this.delta(index, 'input_json_delta', 'partial_json', partialJson);
  }

  blockStop(index: number): void {
    this.buf += `event: content_block_stop\ndata: {"type":"content_block_stop","index":${index}}\n\n`;
  }

  messageDelta(stopReason: StopReason, usage: AnthropicUsage): void {
    this.buf += `event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"${stopReason}","stop_sequence":null},"usage":${JSON.stringify(usage)}}\n\n`;
  }

  messageStop(): void {
    this.buf += 'event: message_stop\ndata: {"type":"message_stop"}\n\n';
  }

  error(err: AnthropicApiError): void {
    this.buf += anthropicErrorEvent(err, this.requestId);
  }
}

export const PING_EVENT = 'event: ping\ndata: {"type": "ping"}\n\n';
