import * as z from 'zod';

/**
 * The body ccbridge sends to `POST {upstream}/responses`: exactly the fields and item shapes the real codex
 * sends (codex-backend-contract.md §0-8, test/fixtures/codex-capture). No `instructions`: codex 0.169 sends its
 * base prompt as the first `developer` message. Strict objects: the tests parse every
 * translated body with these, so a field codex never sends cannot slip in.
 */

/** The namespace codex declares its own function tools in on responses-lite models. */
export const FUNCTIONS_NAMESPACE = 'functions';

export const InputTextPart = z.strictObject({ type: z.literal('input_text'), text: z.string() });
export const InputImagePart = z.strictObject({
  type: z.literal('input_image'),
  image_url: z.string(),
  detail: z.enum(['auto', 'low', 'high', 'original']).optional(),
});
/** PDFs only; codex itself never sends files (see the report: UNVERIFIED on the ChatGPT backend). */
export const InputFilePart = z.strictObject({
  type: z.literal('input_file'),
  filename: z.string().optional(),
  file_data: z.string().optional(),
  file_url: z.string().optional(),
});
export const OutputTextPart = z.strictObject({ type: z.literal('output_text'), text: z.string() });
/** Parts a user message and a tool output may carry. */
export const UserPart = z.union([InputTextPart, InputImagePart, InputFilePart]);
export type UserPart = z.infer<typeof UserPart>;

export const MessageItem = z.strictObject({
  type: z.literal('message'),
  role: z.enum(['user', 'developer', 'assistant']),
  content: z.array(z.union([UserPart, OutputTextPart])),
});
export const ReasoningItem = z.strictObject({
  type: z.literal('reasoning'),
  summary: z.array(z.strictObject({ type: z.literal('summary_text'), text: z.string() })),
  content: z.null(),
  encrypted_content: z.string(),
});
export const FunctionCallItem = z.strictObject({
  type: z.literal('function_call'),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  /** Responses-lite: the namespace the tool was declared in (codex replays it, as captured). */
  namespace: z.literal(FUNCTIONS_NAMESPACE).optional(),
  arguments: z.string(),
  call_id: z.string().min(1).max(64),
});
export const FunctionCallOutputItem = z.strictObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1).max(64),
  output: z.union([z.string(), z.array(UserPart)]),
});
export const WebSearchCallItem = z.strictObject({
  type: z.literal('web_search_call'),
  status: z.literal('completed'),
  action: z.strictObject({ type: z.literal('search'), query: z.string().optional() }),
});

export const FunctionTool = z.strictObject({
  type: z.literal('function'),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  description: z.string(),
  strict: z.literal(false),
  parameters: z.record(z.string(), z.unknown()),
});
export const WebSearchTool = z.strictObject({
  type: z.literal('web_search'),
  external_web_access: z.boolean().optional(),
  filters: z.strictObject({ allowed_domains: z.array(z.string()) }).optional(),
  user_location: z
    .strictObject({
      type: z.literal('approximate'),
      country: z.string().optional(),
      region: z.string().optional(),
      city: z.string().optional(),
      timezone: z.string().optional(),
    })
    .optional(),
});
export const ResponsesTool = z.union([FunctionTool, WebSearchTool]);
export type ResponsesTool = z.infer<typeof ResponsesTool>;
export type FunctionTool = z.infer<typeof FunctionTool>;

/**
 * Responses-lite models (catalogue `use_responses_lite`) get their tools as the first input item rather than a
 * `tools` field, function tools grouped in namespaces: codex 0.169 puts its own in `functions`
 * (test/fixtures/codex-capture/gpt-6.1-sol.json).
 */
export const ToolNamespace = z.strictObject({
  type: z.literal('namespace'),
  name: z.literal(FUNCTIONS_NAMESPACE),
  description: z.string(),
  tools: z.array(FunctionTool),
});
export const AdditionalToolsItem = z.strictObject({
  type: z.literal('additional_tools'),
  role: z.literal('developer'),
  tools: z.array(z.union([ToolNamespace, WebSearchTool])),
});
export type AdditionalToolsItem = z.infer<typeof AdditionalToolsItem>;

export const InputItem = z.union([
  AdditionalToolsItem,
  MessageItem,
  ReasoningItem,
  FunctionCallItem,
  FunctionCallOutputItem,
  WebSearchCallItem,
]);
export type InputItem = z.infer<typeof InputItem>;
export type MessageItem = z.infer<typeof MessageItem>;

/** The efforts the catalogue lists (contract §0); no model lists `none` or `minimal`. */
export const ReasoningEffort = z.enum(['low', 'medium', 'high', 'xhigh', 'max', 'ultra']);
export type ReasoningEffort = z.infer<typeof ReasoningEffort>;

export const ResponsesRequestSchema = z.strictObject({
  model: z.string(),
  stream: z.literal(true),
  service_tier: z.literal('priority').optional(),
  input: z.array(InputItem),
  /** Absent on responses-lite models, whose tools travel in an `additional_tools` input item. */
  tools: z.array(ResponsesTool).optional(),
  tool_choice: z.union([
    z.enum(['auto', 'required', 'none']),
    z.strictObject({ type: z.literal('function'), name: z.string() }),
  ]),
  parallel_tool_calls: z.boolean(),
  reasoning: z.strictObject({
    effort: ReasoningEffort,
    summary: z.literal('auto').optional(),
    /** Responses-lite only, as codex sends it. */
    context: z.literal('all_turns').optional(),
  }),
  store: z.literal(false),
  include: z.tuple([z.literal('reasoning.encrypted_content')]),
  prompt_cache_key: z.string().min(1),
  text: z
    .strictObject({
      format: z.strictObject({
        type: z.literal('json_schema'),
        name: z.string(),
        strict: z.boolean(),
        schema: z.record(z.string(), z.unknown()),
      }),
    })
    .optional(),
  client_metadata: z.record(z.string(), z.string()),
});
export type ResponsesRequest = z.infer<typeof ResponsesRequestSchema>;
