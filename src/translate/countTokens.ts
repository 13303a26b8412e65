import type { ResponsesRequest } from './responsesSchema.js';

/**
 * o200k token count of a translated request: every text the input carries (the system prompt as developer
 * messages, tool arguments and outputs, reasoning summaries) and the tool definitions (the `tools` field, or the
 * `additional_tools` item of responses-lite models), over what is actually sent upstream.
 * Encrypted reasoning and images are not text; they count as fixed costs.
 */
const IMAGE_TOKENS = 765; // one high-detail 512px-tiled image, OpenAI's usual figure
const ITEM_OVERHEAD = 4; // role/turn framing per item, as in OpenAI's chat accounting
const REASONING_TOKENS = 256;

// Special-token text (`<|endoftext|>` in a file) is plain text to the model, so count it as such, never throw.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

type Counter = (text: string) => number;

/**
 * The o200k tables cost ~60 MB of heap, more than the rest of the daemon, so they load on the first count
 * rather than at startup (most sessions never ask).
 */
let loading: Promise<Counter> | null = null;
let loaded: Counter | null = null;
function loadCounter(): Promise<Counter> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then((m) => {
    loaded = (text: string) => (text ? m.countTokens(text, AS_PLAIN_TEXT) : 0);
    return loaded;
  });
  return loading;
}

/** ~4 characters per token: the usual figure for English and code with o200k. */
const approximate: Counter = (text) => Math.ceil(text.length / 4);

function partsTokens(count: Counter, parts: readonly { type: string; text?: string }[]): number {
  let n = 0;
  for (const p of parts) n += p.type === 'input_image' || p.type === 'input_file' ? IMAGE_TOKENS : count(p.text ?? '');
  return n;
}

function sumTokens(body: ResponsesRequest, count: Counter): number {
  let n = 0;
  for (const item of body.input) {
    n += ITEM_OVERHEAD;
    switch (item.type) {
      case 'additional_tools':
        n += count(JSON.stringify(item.tools));
        break;
      case 'message':
        n += partsTokens(count, item.content);
        break;
      case 'function_call':
        n += count(item.name) + count(item.arguments);
        break;
      case 'function_call_output':
        n += typeof item.output === 'string' ? count(item.output) : partsTokens(count, item.output);
        break;
      case 'reasoning':
        n += REASONING_TOKENS + item.summary.reduce((s, p) => s + count(p.text), 0);
        break;
      case 'web_search_call':
        n += count(item.action.query ?? '');
        break;
    }
  }
  if (body.tools?.length) n += count(JSON.stringify(body.tools));
  return n;
}

export async function countRequestTokens(body: ResponsesRequest): Promise<number> {
  return sumTokens(body, await loadCounter());
}

/** Exact once the tokenizer is loaded, else approximate; synchronous, for error messages. */
export function estimateRequestTokens(body: ResponsesRequest): number {
  return sumTokens(body, loaded ?? approximate);
}
