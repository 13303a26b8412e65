import { AnthropicApiError } from './anthropicError.js';
import type { AnthropicTool, ToolChoice } from './anthropicSchema.js';
import type { ResponsesRequest, ResponsesTool } from './responsesSchema.js';
import type { ToolNameMap } from './toolNames.js';

export interface ToolsWithChoice {
  tools: ResponsesTool[];
  tool_choice: ResponsesRequest['tool_choice'];
}

const refuse = (message: string) => new AnthropicApiError('invalid_request_error', `tool_choice: ${message}`);

const isWebSearch = (tool: AnthropicTool) => (tool.type ?? '').startsWith('web_search');

/**
 * Anthropic `tool_choice` → what the Responses API accepts, given the tools already translated. A choice
 * the backend would refuse (a tool it was never sent, `any` without tools) is a clear 400 here instead of
 * an upstream one. Naming the web search server tool sends `required` with web search as the only tool:
 * a forced call to it, without relying on a hosted-tool choice codex never sends.
 */
export function translateToolChoice(
  choice: ToolChoice | null | undefined,
  requestTools: readonly AnthropicTool[],
  upstreamTools: ResponsesTool[],
  names: ToolNameMap,
): ToolsWithChoice {
  switch (choice?.type) {
    case undefined:
    case 'auto':
      return { tools: upstreamTools, tool_choice: 'auto' };
    case 'none':
      return { tools: upstreamTools, tool_choice: 'none' };
    case 'any':
      if (!upstreamTools.length)
        throw refuse(
          requestTools.length
            ? '"any" needs a tool ccbridge can send, and none of the given tools is one (only custom tools and web_search are)'
            : '"any" needs tools; the request has none',
        );
      return { tools: upstreamTools, tool_choice: 'required' };
    case 'tool': {
      const name = choice.name;
      if (!name) throw refuse('type "tool" needs the name of one of the request\'s tools');
      const tool = requestTools.find((t) => t.name === name);
      if (!tool) throw refuse(`tool '${name}' is not among the request's tools`);
      if (isWebSearch(tool))
        return { tools: upstreamTools.filter((t) => t.type === 'web_search'), tool_choice: 'required' };
      if ((tool.type ?? 'custom') !== 'custom')
        throw refuse(`'${name}' is a server tool (${tool.type}) that ccbridge cannot run; only web_search is`);
      return { tools: upstreamTools, tool_choice: { type: 'function', name: names.toUpstream(name) } };
    }
  }
}
