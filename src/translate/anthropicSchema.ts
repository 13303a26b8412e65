import * as z from 'zod';

/**
 * The Anthropic Messages request as Claude Code really sends it (see anthropic.md §1 and the captures in
 * test/fixtures/claude-code). Lenient on purpose: Claude Code answers a 400 by retrying with features
 * stripped, so unknown fields, unknown block types and future betas pass through; only what the translation
 * reads is checked, and a bad field is reported with its path.
 */

const CacheControl = z.unknown().optional();

const TextBlock = z.looseObject({ type: z.literal('text'), text: z.string(), cache_control: CacheControl });

// Discriminated, so a bad field is reported inside the branch its `type` picked.
const ImageSource = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal('url'), url: z.string() }),
  z.looseObject({ type: z.literal('file'), file_id: z.string() }),
]);
const ImageBlock = z.looseObject({ type: z.literal('image'), source: ImageSource });

const DocumentSource = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal('text'), data: z.string(), media_type: z.string().optional() }),
  z.looseObject({
    type: z.literal('content'),
    content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]),
  }),
  z.looseObject({ type: z.literal('url'), url: z.string() }),
  z.looseObject({ type: z.literal('file'), file_id: z.string() }),
]);
const DocumentBlock = z.looseObject({
  type: z.literal('document'),
  source: DocumentSource,
  title: z.string().nullish(),
  context: z.string().nullish(),
});

const ThinkingBlock = z.looseObject({
  type: z.literal('thinking'),
  thinking: z.string().optional(),
  signature: z.string().nullish(),
});
const RedactedThinkingBlock = z.looseObject({ type: z.literal('redacted_thinking'), data: z.string().optional() });
const ToolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});
const ServerToolUseBlock = z.looseObject({
  type: z.literal('server_tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});
const WebSearchResultBlock = z.looseObject({
  type: z.literal('web_search_tool_result'),
  tool_use_id: z.string(),
  content: z.unknown(),
});
const ToolReferenceBlock = z.looseObject({ type: z.literal('tool_reference'), tool_name: z.string() });
const SearchResultBlock = z.looseObject({
  type: z.literal('search_result'),
  source: z.string().optional(),
  title: z.string().optional(),
  content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).optional(),
});

/** Blocks allowed inside `tool_result.content` (anthropic.md §1); any other is refused by name. */
const TOOL_RESULT_BLOCKS = new Set(['text', 'image', 'document', 'search_result', 'tool_reference']);
const ToolResultInner = z.union([
  z.string(),
  z.array(
    z.looseObject({ type: z.string() }).refine((b) => TOOL_RESULT_BLOCKS.has(b.type), {
      error: (issue) => `tool_result content block type '${(issue.input as { type: string }).type}' is not supported`,
      path: ['type'],
    }),
  ),
]);
const ToolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: ToolResultInner.nullish(),
  is_error: z.boolean().nullish(),
});

const blockSchemas = {
  text: TextBlock,
  image: ImageBlock,
  document: DocumentBlock,
  thinking: ThinkingBlock,
  redacted_thinking: RedactedThinkingBlock,
  tool_use: ToolUseBlock,
  tool_result: ToolResultBlock,
  server_tool_use: ServerToolUseBlock,
  web_search_tool_result: WebSearchResultBlock,
  tool_reference: ToolReferenceBlock,
  search_result: SearchResultBlock,
} as const;
type KnownBlockType = keyof typeof blockSchemas;

export type TextBlock = z.infer<typeof TextBlock>;
export type ImageBlock = z.infer<typeof ImageBlock>;
export type DocumentBlock = z.infer<typeof DocumentBlock>;
export type ThinkingBlock = z.infer<typeof ThinkingBlock>;
export type ToolUseBlock = z.infer<typeof ToolUseBlock>;
export type ToolResultBlock = z.infer<typeof ToolResultBlock>;
export type ServerToolUseBlock = z.infer<typeof ServerToolUseBlock>;
export type SearchResultBlock = z.infer<typeof SearchResultBlock>;
/**
 * Documented Anthropic blocks with no upstream form, dropped on purpose: results of server tools ccbridge
 * does not run (code execution, web fetch, tool search, MCP connector, advisor) and file uploads, which
 * only a conversation begun on Anthropic's API can hold. Any other type is a new one ccbridge does not
 * know: a 400 naming it, so it is never silently lost.
 */
const DROPPED_BLOCKS = new Set([
  'container_upload',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
  'mcp_tool_use',
  'mcp_tool_result',
  'advisor_tool_result',
]);
/** A documented block of a type ccbridge does not translate (DROPPED_BLOCKS): accepted, then dropped. */
export interface UnknownBlock {
  type: string;
  [key: string]: unknown;
}
export type ContentBlock = { [K in KnownBlockType]: z.infer<(typeof blockSchemas)[K]> }[KnownBlockType] | UnknownBlock;

/**
 * Dispatches on `type` by hand rather than with a union: a zod union over a catch-all would report the
 * catch-all's failure instead of the real bad field.
 */
function validateBlock(value: { type: string }, ctx: z.RefinementCtx): void {
  const schema = (blockSchemas as Record<string, z.ZodType | undefined>)[value.type];
  if (!schema) {
    if (!DROPPED_BLOCKS.has(value.type))
      ctx.addIssue({
        code: 'custom',
        message: `content block type '${value.type}' is not supported by ccbridge`,
        path: ['type'],
      });
    return;
  }
  const result = schema.safeParse(value);
  if (!result.success)
    for (const issue of result.error.issues)
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, params: { issue } });
}

// The cast restores the static type the hand-written dispatch above guarantees.
const ContentBlockSchema = z
  .looseObject({ type: z.string() })
  .superRefine(validateBlock) as unknown as z.ZodType<ContentBlock>;

const MessageSchema = z.looseObject({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(ContentBlockSchema)]),
});
export type AnthropicMessage = z.infer<typeof MessageSchema>;

const SystemSchema = z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))]);

const ToolSchema = z.looseObject({
  name: z.string().min(1),
  type: z.string().nullish(),
  description: z.string().nullish(),
  input_schema: z.record(z.string(), z.unknown()).nullish(),
});
export type AnthropicTool = z.infer<typeof ToolSchema>;

const ToolChoiceSchema = z.looseObject({
  type: z.enum(['auto', 'any', 'tool', 'none']),
  name: z.string().optional(),
  disable_parallel_tool_use: z.boolean().nullish(),
});
export type ToolChoice = z.infer<typeof ToolChoiceSchema>;

const ThinkingSchema = z.looseObject({
  type: z.string(),
  budget_tokens: z.number().nullish(),
  display: z.string().nullish(),
});
export type ThinkingConfig = z.infer<typeof ThinkingSchema>;

const OutputConfigSchema = z.looseObject({ effort: z.string().nullish(), format: z.unknown().optional() });

/** Also the count_tokens body: the same fields, and `max_tokens` is optional here anyway. */
export const MessagesRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(MessageSchema),
  max_tokens: z.number().optional(),
  system: SystemSchema.nullish(),
  stream: z.boolean().nullish(),
  tools: z.array(ToolSchema).nullish(),
  tool_choice: ToolChoiceSchema.nullish(),
  thinking: ThinkingSchema.nullish(),
  output_config: OutputConfigSchema.nullish(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).nullish(),
  speed: z.string().nullish(),
  /**
   * Claude Code's context edits, ignored on purpose: `clear_thinking` keeps all thinking anyway (and only
   * this account's reasoning replays); `clear_tool_uses` and `compact_*` are Anthropic-side trimming the
   * backend has no form for, and Claude Code compacts by itself against the window ccbridge tells it.
   */
  context_management: z.looseObject({ edits: z.array(z.looseObject({ type: z.string() })).nullish() }).nullish(),
  // Read by nothing upstream (codex never sends them), accepted so clients never see a 400 for them.
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  top_k: z.number().nullish(),
  stop_sequences: z.array(z.string()).nullish(),
});
export type MessagesRequest = z.infer<typeof MessagesRequestSchema>;
