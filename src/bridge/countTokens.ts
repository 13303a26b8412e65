import { countTokens as o200kCount } from 'gpt-tokenizer/encoding/o200k_base';
import type { ResponsesRequest } from './responsesSchema.js';

/**
 * o200k token count of a translated request: instructions, every text the input carries (messages, tool
 * arguments and outputs, reasoning summaries) and the tool definitions, over what is actually sent upstream.
 * Encrypted reasoning and images are not text; they count as fixed costs.
 */
const IMAGE_TOKENS = 765; // one high-detail 512px-tiled image, OpenAI's usual figure
const ITEM_OVERHEAD = 4; // role/turn framing per item, as in OpenAI's chat accounting
const REASONING_TOKENS = 256;

// Special-token text (`<|endoftext|>` in a file) is plain text to the model, so count it as such, never throw.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

function count(text: string): number {
  return text ? o200kCount(text, AS_PLAIN_TEXT) : 0;
}

function partsTokens(parts: readonly { type: string; text?: string }[]): number {
  let n = 0;
  for (const p of parts) n += p.type === 'input_image' || p.type === 'input_file' ? IMAGE_TOKENS : count(p.text ?? '');
  return n;
}

export function countRequestTokens(body: ResponsesRequest): number {
  let n = count(body.instructions);
  for (const item of body.input) {
    n += ITEM_OVERHEAD;
    switch (item.type) {
      case 'message':
        n += partsTokens(item.content);
        break;
      case 'function_call':
        n += count(item.name) + count(item.arguments);
        break;
      case 'function_call_output':
        n += typeof item.output === 'string' ? count(item.output) : partsTokens(item.output);
        break;
      case 'reasoning':
        n += REASONING_TOKENS + item.summary.reduce((s, p) => s + count(p.text), 0);
        break;
      case 'web_search_call':
        n += count(item.action.query ?? '');
        break;
    }
  }
  if (body.tools.length) n += count(JSON.stringify(body.tools));
  return n;
}
