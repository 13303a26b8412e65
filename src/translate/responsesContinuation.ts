import { isDeepStrictEqual } from 'node:util';
import { FUNCTIONS_NAMESPACE, type InputItem, type ResponsesRequest } from './responsesSchema.js';
import type { UpstreamItem } from './upstreamEvents.js';

/**
 * Incremental input on a Responses WebSocket (codex `prepare_websocket_request`, contract §0): a request may
 * name the connection's last response and send only its new input items when it is provably the same
 * conversation going on. Pure.
 */

/** What a connection remembers of its last response. */
export interface PreviousResponse {
  /** The full request that produced it (never an incremental one). */
  request: ResponsesRequest;
  responseId: string;
  /** Its output items, in order, as `response.output_item.done` carried them. */
  output: UpstreamItem[];
}

/**
 * An output item as the bridge sends it back when Claude Code replays it (translateRequest's assistant items):
 * Claude Code sees only text, thinking + signature, tool calls and searches, so ids and statuses are gone and the
 * arguments are re-serialized from the parsed input; on a responses-lite request a call names the namespace its
 * tool was declared in. Null for an item with no replayable form.
 */
export function outputAsInput(item: UpstreamItem, lite = false): InputItem | null {
  switch (item.type) {
    case 'message': {
      const content = (item.content ?? [])
        .filter((p) => p.type === 'output_text' && p.text)
        .map((p) => ({ type: 'output_text' as const, text: p.text! }));
      return content.length ? { type: 'message', role: 'assistant', content } : null;
    }
    case 'reasoning': {
      if (!item.encrypted_content) return null;
      const text = (item.summary ?? [])
        .map((s) => s.text)
        .filter(Boolean)
        .join('\n\n');
      return {
        type: 'reasoning',
        summary: text ? [{ type: 'summary_text', text }] : [],
        content: null,
        encrypted_content: item.encrypted_content,
      };
    }
    case 'function_call': {
      let args: string;
      try {
        args = JSON.stringify(JSON.parse(item.arguments || '{}'));
      } catch {
        return null;
      }
      return {
        type: 'function_call',
        name: item.name ?? '',
        ...(lite ? { namespace: FUNCTIONS_NAMESPACE } : {}),
        arguments: args,
        call_id: item.call_id ?? '',
      };
    }
    case 'web_search_call': {
      const query = item.action?.query ?? item.action?.queries?.[0];
      return {
        type: 'web_search_call',
        status: 'completed',
        action: { type: 'search', ...(query !== undefined ? { query } : {}) },
      };
    }
    default:
      return null;
  }
}

/** Tools travel as an `additional_tools` input item only on responses-lite models (translateRequest). */
const isLite = (request: ResponsesRequest) => request.input.some((i) => i.type === 'additional_tools');

/** Request fields that are per-turn telemetry, not conversation: they may change between continued requests. */
const VOLATILE = new Set<string>(['input', 'client_metadata']);

/** Why a request cannot continue the previous one (codex logs the same `<field>_changed` reasons). */
export function continuationMismatch(prev: PreviousResponse, next: ResponsesRequest): string | null {
  const a = prev.request as Record<string, unknown>;
  const b = next as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!VOLATILE.has(key) && !isDeepStrictEqual(a[key], b[key])) return `${key}_changed`;
  }
  const expected = [...prev.request.input];
  for (const item of prev.output) {
    const replayed = outputAsInput(item, isLite(prev.request));
    if (replayed) expected.push(replayed);
  }
  if (next.input.length <= expected.length) return 'input_not_extended';
  for (let i = 0; i < expected.length; i++) if (!sameItem(expected[i]!, next.input[i]!)) return 'input_diverged';
  return null;
}

/**
 * Reasoning is the same item when its encrypted content is: its summary is display text, which Claude Code replays
 * only when thinking was shown (`thinking.display: omitted` replays it empty).
 */
function sameItem(expected: InputItem, actual: InputItem): boolean {
  if (expected.type === 'reasoning' && actual.type === 'reasoning')
    return expected.encrypted_content === actual.encrypted_content;
  return isDeepStrictEqual(expected, actual);
}

/**
 * The `response.create` frame for `body` on a connection whose last completed response is `prev` (null: none, or
 * it did not complete): `previous_response_id` and only the new items when the request continues it, else the
 * full request. Field order stays the HTTP body's, with the id before `input` as codex sends it.
 */
export function responseCreateFrame(
  body: ResponsesRequest,
  prev: PreviousResponse | null,
): { frame: Record<string, unknown>; incremental: boolean; mismatch: string | null } {
  const mismatch = prev ? continuationMismatch(prev, body) : 'no_previous_response';
  const frame: Record<string, unknown> = { type: 'response.create' };
  for (const [key, value] of Object.entries(body)) {
    if (key === 'input' && prev && !mismatch) {
      frame.previous_response_id = prev.responseId;
      frame.input = body.input.slice(prev.request.input.length + replayedCount(prev));
    } else frame[key] = value;
  }
  return { frame, incremental: !mismatch, mismatch };
}

function replayedCount(prev: PreviousResponse): number {
  return prev.output.filter((item) => outputAsInput(item, isLite(prev.request)) !== null).length;
}
