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
import { supportsPriorityTier } from './codexModels.js';
import { chooseReasoning, type ThinkingOutput } from './reasoningEffort.js';
import { decodeReasoningSignature } from './reasoningSignature.js';
import type { ResolvedModel } from './resolveModel.js';
import type { InputItem, ResponsesRequest, ResponsesTool } from './responsesSchema.js';
import { buildToolNameMap, shortCallId, type ToolNameMap } from './toolNames.js';
import { toolResultItem, userParts } from './translateContent.js';
import { translateToolChoice } from './translateToolChoice.js';

/**
 * Anthropic Messages request → the Responses body the real codex would send (codex-backend-contract.md;
 * field order as captured from codex 0.169.0 in test/fixtures/codex-capture). Pure.
 */

export interface TranslateContext {
  model: ResolvedModel;
  /** ccbridge account the request goes to: reasoning signatures only replay on their own account. */
  accountId: string;
  /** Effective fast mode for the account. */
  fastMode: boolean;
  /** Claude session as a UUID (prompt cache key, session headers). */
  sessionId: string;
  /** The account's codex installation id (`$CODEX_HOME/installation_id`), sent as codex sends it. */
  installationId: string;
}

export interface TranslatedRequest {
  body: ResponsesRequest;
  toolNames: ToolNameMap;
  /** What of the reasoning goes back to the client (never a thinking block it did not ask for). */
  thinking: ThinkingOutput;
}

const BILLING_HEADER = 'x-anthropic-billing-header:';
/** The backend wants non-empty instructions (contract §5). */
export const DEFAULT_INSTRUCTIONS = 'You are a helpful assistant.';

function systemText(system: MessagesRequest['system']): string {
  if (!system) return '';
  if (typeof system === 'string') return system;
  return system
    .filter((b) => b.type === 'text' && typeof b.text === 'string' && !b.text.startsWith(BILLING_HEADER))
    .map((b) => b.text as string)
    .join('\n\n');
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

function assistantItems(message: AnthropicMessage, ctx: TranslateContext, names: ToolNameMap): InputItem[] {
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
): InputItem[] {
  const items: InputItem[] = [];
  for (const message of messages) {
    if (message.role === 'system') {
      const item = developerItem(message);
      if (item) items.push(item);
    } else if (message.role === 'user') items.push(...userItems(message));
    else items.push(...assistantItems(message, ctx, names));
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

export function translateRequest(req: MessagesRequest, ctx: TranslateContext): TranslatedRequest {
  const names = buildToolNameMap(toolNamesIn(req));
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
  const body: ResponsesRequest = {
    model: ctx.model.slug,
    instructions: systemText(req.system) || DEFAULT_INSTRUCTIONS,
    stream: true,
    ...(fast ? { service_tier: 'priority' as const } : {}),
    input: translateMessages(req.messages, ctx, names),
    tools,
    tool_choice,
    parallel_tool_calls: !req.tool_choice?.disable_parallel_tool_use,
    reasoning: summary ? { effort, summary: 'auto' } : { effort },
    store: false,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: ctx.sessionId,
    ...(text ? { text } : {}),
    client_metadata: {
      session_id: ctx.sessionId,
      'x-codex-window-id': `${ctx.sessionId}:0`,
      'x-codex-installation-id': ctx.installationId,
      thread_id: ctx.sessionId,
    },
  };
  return { body, toolNames: names, thinking };
}
