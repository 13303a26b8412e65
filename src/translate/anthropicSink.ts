import type { AnthropicApiError } from './anthropicError.js';
import type {
  AnthropicMessageOut,
  AnthropicUsage,
  OutBlock,
  StopReason,
  WebSearchCitation,
} from './anthropicResponseSchema.js';

/**
 * The Anthropic stream as calls, in the order the SDK checks (message_start → per block start, deltas,
 * stop → message_delta → message_stop). The stream translator drives one of these; `sseSink` writes the
 * wire events and `messageAggregator` builds the non-stream `Message`, so both answers share one translation.
 */
export interface AnthropicSink {
  messageStart(message: AnthropicMessageOut): void;
  blockStart(index: number, block: OutBlock): void;
  textDelta(index: number, text: string): void;
  thinkingDelta(index: number, thinking: string): void;
  signatureDelta(index: number, signature: string): void;
  inputJsonDelta(index: number, partialJson: string): void;
  citationDelta(index: number, citation: WebSearchCitation): void;
  blockStop(index: number): void;
  messageDelta(stopReason: StopReason, usage: AnthropicUsage, stopSequence: string | null): void;
  messageStop(): void;
  error(err: AnthropicApiError): void;
}
