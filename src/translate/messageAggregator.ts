import type { AnthropicApiError } from './anthropicError.js';
import type {
  AnthropicMessageOut,
  AnthropicUsage,
  OutBlock,
  StopReason,
  WebSearchCitation,
} from './anthropicResponseSchema.js';
import type { AnthropicSink } from './anthropicSink.js';

/** Builds the non-stream `Message` from the same calls the SSE sink writes, every block with all its fields. */
export class MessageAggregator implements AnthropicSink {
  private message: AnthropicMessageOut | null = null;
  private readonly json = new Map<number, string>();
  failure: AnthropicApiError | null = null;

  /** The finished message; throws the upstream error if the response failed. */
  result(): AnthropicMessageOut {
    if (this.failure) throw this.failure;
    if (!this.message) throw new Error('no message was started');
    return this.message;
  }

  private block(index: number): OutBlock | undefined {
    return this.message?.content[index];
  }

  messageStart(message: AnthropicMessageOut): void {
    this.message = { ...message, content: [] };
  }

  blockStart(index: number, block: OutBlock): void {
    this.message?.content.splice(index, 0, structuredClone(block));
  }

  textDelta(index: number, text: string): void {
    const b = this.block(index);
    if (b?.type === 'text') b.text += text;
  }

  thinkingDelta(index: number, thinking: string): void {
    const b = this.block(index);
    if (b?.type === 'thinking') b.thinking += thinking;
  }

  signatureDelta(index: number, signature: string): void {
    const b = this.block(index);
    if (b?.type === 'thinking') b.signature = signature;
  }

  inputJsonDelta(index: number, partialJson: string): void {
    this.json.set(index, (this.json.get(index) ?? '') + partialJson);
  }

  citationDelta(index: number, citation: WebSearchCitation): void {
    const b = this.block(index);
    if (b?.type === 'text') (b.citations ??= []).push(citation);
  }

  blockStop(index: number): void {
    const b = this.block(index);
    const raw = this.json.get(index);
    if (!b || raw === undefined || (b.type !== 'tool_use' && b.type !== 'server_tool_use')) return;
    try {
      const parsed: unknown = JSON.parse(raw);
      b.input =
        parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      b.input = {}; // the model produced broken arguments; an empty input beats a failed request
    }
  }

  messageDelta(stopReason: StopReason, usage: AnthropicUsage, stopSequence: string | null): void {
    if (!this.message) return;
    this.message.stop_reason = stopReason;
    this.message.stop_sequence = stopSequence;
    this.message.usage = usage;
  }

  messageStop(): void {}

  error(err: AnthropicApiError): void {
    this.failure = err;
  }
}
