import * as z from 'zod';

/**
 * What the bridge answers: Anthropic's `Message` and its blocks with every field present (Claude Code
 * crashed on blocks missing `text`/`thinking` and on usage without counts; anthropic.md §2). Strict, so
 * the tests catch a missing or stray field.
 */
export const AnthropicUsageSchema = z.strictObject({
  input_tokens: z.number().int(),
  cache_creation_input_tokens: z.number().int(),
  cache_read_input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  server_tool_use: z.strictObject({ web_search_requests: z.number().int() }).optional(),
});
export type AnthropicUsage = z.infer<typeof AnthropicUsageSchema>;

/** Anthropic's web search citation; the backend gives no encrypted index, so it is empty. */
export const WebSearchCitation = z.strictObject({
  type: z.literal('web_search_result_location'),
  url: z.string(),
  title: z.string().nullable(),
  encrypted_index: z.string(),
  cited_text: z.string(),
});
export type WebSearchCitation = z.infer<typeof WebSearchCitation>;
export const TextOutBlock = z.strictObject({
  type: z.literal('text'),
  text: z.string(),
  citations: z.array(WebSearchCitation).nullable(),
});
export const ThinkingOutBlock = z.strictObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string(),
});
export const ToolUseOutBlock = z.strictObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
});
export const ServerToolUseOutBlock = z.strictObject({
  type: z.literal('server_tool_use'),
  id: z.string(),
  name: z.literal('web_search'),
  input: z.record(z.string(), z.unknown()),
});
export const WebSearchResult = z.strictObject({
  type: z.literal('web_search_result'),
  url: z.string(),
  title: z.string(),
  encrypted_content: z.string(),
  page_age: z.string().nullable(),
});
export type WebSearchResult = z.infer<typeof WebSearchResult>;
export const WebSearchResultOutBlock = z.strictObject({
  type: z.literal('web_search_tool_result'),
  tool_use_id: z.string(),
  content: z.array(WebSearchResult),
});
export const OutBlockSchema = z.discriminatedUnion('type', [
  TextOutBlock,
  ThinkingOutBlock,
  ToolUseOutBlock,
  ServerToolUseOutBlock,
  WebSearchResultOutBlock,
]);
export type OutBlock = z.infer<typeof OutBlockSchema>;

export const StopReasonSchema = z.enum([
  'end_turn',
  'max_tokens',
  'tool_use',
  'refusal',
  'stop_sequence',
  'pause_turn',
]);
export type StopReason = z.infer<typeof StopReasonSchema>;

export const AnthropicMessageSchema = z.strictObject({
  id: z.string(),
  type: z.literal('message'),
  role: z.literal('assistant'),
  model: z.string(),
  content: z.array(OutBlockSchema),
  stop_reason: StopReasonSchema.nullable(),
  stop_sequence: z.string().nullable(),
  usage: AnthropicUsageSchema,
});
export type AnthropicMessageOut = z.infer<typeof AnthropicMessageSchema>;
