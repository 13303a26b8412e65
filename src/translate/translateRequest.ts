import type {
  AnthropicMessage,
  AnthropicTool,
  ContentBlock,
  MessagesRequest,
  ThinkingBlock,
  ToolResultBlock,
  ToolUseBlock,
} from './anthropicSchema.js';
import { cleanToolSchema } from './cleanToolSchema.js';
import { supportsPriorityTier, usesResponsesLite } from './codexModels.js';
import { chooseReasoning, type ThinkingOutput } from './reasoningEffort.js';
import { decodeReasoningSignature } from './reasoningSignature.js';
import type { ResolvedModel } from './resolveModel.js';
import {
  FUNCTIONS_NAMESPACE,
  type AdditionalToolsItem,
  type FunctionTool,
  type InputItem,
  type ResponsesRequest,
  type ResponsesTool,
} from './responsesSchema.js';
import { type ThreadIdentity, windowId } from './sessionKey.js';
import { buildToolNameMap, shortCallId, type ToolNameMap } from './toolNames.js';
import { toolResultItem, userParts } from './translateContent.js';
import { translateToolChoice } from './translateToolChoice.js';
import { SUBAGENT_HEADER_VALUE, turnMetadata } from './turnMetadata.js';

/**
 * Anthropic Messages request → the Responses body the real codex would send (codex-backend-contract.md §0;
 * field order as captured from codex 0.169.0 in test/fixtures/codex-capture). Pure.
 *
 * Cache friendliness: every turn of a conversation must produce a byte-identical prefix of the next turn's
 * body, so nothing here may depend on anything but the request's own content (no clocks, counters or random
 * ids), and per-request noise Claude Code puts in its system prompt is dropped.
 */

export interface TranslateContext {
  model: ResolvedModel;
  /** ccbridge account the request goes to: reasoning signatures only replay on their own account. */
  accountId: string;
  /** Effective fast mode for the account. */
  fastMode: boolean;
  /** The session and thread the request belongs to (prompt cache key, client metadata). */
  thread: ThreadIdentity;
  /** The account's codex installation id (`$CODEX_HOME/installation_id`), sent as codex sends it. */
  installationId: string;
}

export interface TranslatedRequest {
  body: ResponsesRequest;
  toolNames: ToolNameMap;
  /** What of the reasoning goes back to the client (never a thinking block it did not ask for). */
  thinking: ThinkingOutput;
}

/**
 * Claude Code's attribution line (`x-anthropic-billing-header: cc_version=…; cch=…;`) changes from request to
 * request; left in, it would make every turn's prompt prefix differ from the last one's.
 */
const BILLING_LINE = /^x-anthropic-billing-header:[^\n]*(\n|$)/gm;

function withoutNoise(text: string): string {
  return text.replace(BILLING_LINE, '');
}

/**
 * The system prompt as codex sends its base prompt: a `developer` message at the head of the input (no
 * `instructions` field, contract §0), one text part per system block.
 */
function systemItem(system: MessagesRequest['system']): InputItem | null {
  const blocks = typeof system === 'string' ? [{ type: 'text', text: system }] : (system ?? []);
  const texts = blocks
    .map((b) => (b.type === 'text' && typeof b.text === 'string' ? withoutNoise(b.text) : ''))
    .filter((t) => t.trim() !== '');
  if (!texts.length) return null;
  return { type: 'message', role: 'developer', content: texts.map((text) => ({ type: 'input_text', text })) };
}

function blocksOf(message: AnthropicMessage): ContentBlock[] {
  return typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
}

function developerItem(message: AnthropicMessage): InputItem | null {
  const parts = userParts(blocksOf(message));
  return parts.length ? { type: 'message', role: 'developer', content: parts } : null;
}

function userItems(message: AnthropicMessage): InputItem[] {
  const blocks = blocksOf(message);
  // Tool outputs first: they answer the previous assistant turn, and a user message between a call and
  // its output is rejected upstream.
  const items: InputItem[] = blocks.filter((b): b is ToolResultBlock => b.type === 'tool_result').map(toolResultItem);
  const parts = userParts(blocks.filter((b) => b.type !== 'tool_result'));
  if (parts.length) items.push({ type: 'message', role: 'user', content: parts });
  return items;
}

function assistantItems(
  message: AnthropicMessage,
  ctx: TranslateContext,
  names: ToolNameMap,
  lite: boolean,
): InputItem[] {
  const items: InputItem[] = [];
  let text: string[] = [];
  const flushText = () => {
    if (text.length)
      items.push({ type: 'message', role: 'assistant', content: text.map((t) => ({ type: 'output_text', text: t })) });
    text = [];
  };
  for (const block of blocksOf(message)) {
    switch (block.type) {
      case 'text':
        if (typeof block.text === 'string' && block.text) text.push(block.text);
        break;
      case 'thinking': {
        const b = block as ThinkingBlock;
        const encrypted = decodeReasoningSignature(b.signature, ctx.accountId);
        if (!encrypted) break; // foreign or stale signature: never sent upstream
        flushText();
        const summary = b.thinking ? [{ type: 'summary_text' as const, text: b.thinking }] : [];
        items.push({ type: 'reasoning', summary, content: null, encrypted_content: encrypted });
        break;
      }
      case 'tool_use': {
        const b = block as ToolUseBlock;
        flushText();
        items.push({
          type: 'function_call',
          name: names.toUpstream(b.name),
          ...(lite ? { namespace: FUNCTIONS_NAMESPACE } : {}),
          arguments: JSON.stringify(b.input ?? {}),
          call_id: shortCallId(b.id),
        });
        break;
      }
      case 'server_tool_use':
        if (block.name === 'web_search') {
          flushText();
          const query = (block.input as { query?: unknown } | null)?.query;
          items.push({
            type: 'web_search_call',
            status: 'completed',
            action: { type: 'search', ...(typeof query === 'string' ? { query } : {}) },
          });
        }
        break;
    }
  }
  flushText();
  return items;
}

/**
 * Every call needs its output and every output its call, or the backend refuses the request; codex
 * back-fills missing outputs with "aborted" and drops orphans (contract §2), and so does this.
 */
export function pairToolCalls(items: InputItem[]): InputItem[] {
  const outputs = new Set(items.filter((i) => i.type === 'function_call_output').map((i) => i.call_id));
  const calls = new Set<string>();
  const out: InputItem[] = [];
  for (const item of items) {
    if (item.type === 'function_call_output') {
      if (calls.has(item.call_id)) out.push(item);
      continue;
    }
    out.push(item);
    if (item.type === 'function_call') {
      calls.add(item.call_id);
      if (!outputs.has(item.call_id))
        out.push({ type: 'function_call_output', call_id: item.call_id, output: 'aborted' });
    }
  }
  return out;
}

function translateMessages(
  messages: readonly AnthropicMessage[],
  ctx: TranslateContext,
  names: ToolNameMap,
  lite: boolean,
): InputItem[] {
  const items: InputItem[] = [];
  for (const message of messages) {
    if (message.role === 'system') {
      const item = developerItem(message);
      if (item) items.push(item);
    } else if (message.role === 'user') items.push(...userItems(message));
    else items.push(...assistantItems(message, ctx, names, lite));
  }
  return pairToolCalls(items);
}

function webSearchTool(tool: AnthropicTool): ResponsesTool {
  const domains = tool.allowed_domains;
  const loc = tool.user_location as Record<string, unknown> | null | undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    type: 'web_search',
    external_web_access: true,
    ...(Array.isArray(domains) && domains.length
      ? { filters: { allowed_domains: domains.filter((d): d is string => typeof d === 'string') } }
      : {}),
    ...(loc && typeof loc === 'object'
      ? {
          user_location: {
            type: 'approximate' as const,
            ...(str(loc.country) ? { country: str(loc.country) } : {}),
            ...(str(loc.region) ? { region: str(loc.region) } : {}),
            ...(str(loc.city) ? { city: str(loc.city) } : {}),
            ...(str(loc.timezone) ? { timezone: str(loc.timezone) } : {}),
          },
        }
      : {}),
  };
}

/** Custom tools → function tools (cleaned schema, `strict:false`); web search → codex's `web_search`; other server tools drop. */
function translateTools(tools: readonly AnthropicTool[], names: ToolNameMap): ResponsesTool[] {
  const out: ResponsesTool[] = [];
  for (const tool of tools) {
    const type = tool.type ?? 'custom';
    if (type.startsWith('web_search')) out.push(webSearchTool(tool));
    else if (type === 'custom') {
      out.push({
        type: 'function',
        name: names.toUpstream(tool.name),
        description: tool.description ?? '',
        strict: false,
        parameters: cleanToolSchema(tool.input_schema),
      });
    }
  }
  return out;
}

/** Responses-lite: the tools as codex sends them there, function tools in its `functions` namespace. */
function additionalToolsItem(tools: readonly ResponsesTool[]): AdditionalToolsItem {
  const functions = tools.filter((t): t is FunctionTool => t.type === 'function');
  const others = tools.filter((t) => t.type !== 'function');
  return {
    type: 'additional_tools',
    role: 'developer',
    tools: [
      ...(functions.length
        ? [{ type: 'namespace' as const, name: FUNCTIONS_NAMESPACE, description: '', tools: functions }]
        : []),
      ...others,
    ],
  } as AdditionalToolsItem;
}

function toolNamesIn(req: MessagesRequest): string[] {
  const names = (req.tools ?? []).map((t) => t.name);
  for (const m of req.messages) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content) if (b.type === 'tool_use' && typeof b.name === 'string') names.push(b.name);
  }
  return names;
}

function outputFormat(format: unknown): ResponsesRequest['text'] {
  const f = format as { type?: unknown; schema?: unknown } | null | undefined;
  if (f?.type !== 'json_schema' || typeof f.schema !== 'object' || f.schema === null) return undefined;
  return {
    format: { type: 'json_schema', name: 'output', strict: false, schema: f.schema as Record<string, unknown> },
  };
}

function clientMetadata(ctx: TranslateContext, metadata: string): Record<string, string> {
  const { thread } = ctx;
  return {
    session_id: thread.sessionId,
    'x-codex-turn-metadata': metadata,
    'x-codex-window-id': windowId(thread),
    'x-codex-installation-id': ctx.installationId,
    thread_id: thread.threadId,
    ...(thread.parentThreadId
      ? { 'x-codex-parent-thread-id': thread.parentThreadId, 'x-openai-subagent': SUBAGENT_HEADER_VALUE }
      : {}),
  };
}

export function translateRequest(req: MessagesRequest, ctx: TranslateContext): TranslatedRequest {
  const names = buildToolNameMap(toolNamesIn(req));
  const lite = usesResponsesLite(ctx.model.info);
  const fast = (ctx.fastMode || req.speed === 'fast') && supportsPriorityTier(ctx.model.info);
  const { effort, summary, thinking } = chooseReasoning(req.thinking, req.output_config?.effort, ctx.model.info);
  const text = outputFormat(req.output_config?.format);
  const requestTools = req.tools ?? [];
  const { tools, tool_choice } = translateToolChoice(
    req.tool_choice,
    requestTools,
    translateTools(requestTools, names),
    names,
  );
  const system = systemItem(req.system);
  const input = [
    ...(lite && tools.length ? [additionalToolsItem(tools)] : []),
    ...(system ? [system] : []),
    ...translateMessages(req.messages, ctx, names, lite),
  ];
  const metadata = turnMetadata({
    thread: ctx.thread,
    installationId: ctx.installationId,
    model: ctx.model.slug,
    effort,
  });
  const body: ResponsesRequest = {
    model: ctx.model.slug,
    stream: true,
    ...(fast ? { service_tier: 'priority' as const } : {}),
    input,
    ...(lite ? {} : { tools }),
    tool_choice,
    parallel_tool_calls: !req.tool_choice?.disable_parallel_tool_use,
    reasoning: {
      effort,
      ...(summary ? { summary: 'auto' as const } : {}),
      ...(lite ? { context: 'all_turns' as const } : {}),
    },
    store: false,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: ctx.thread.threadId,
    ...(text ? { text } : {}),
    client_metadata: clientMetadata(ctx, metadata),
  };
  return { body, toolNames: names, thinking };
}
