import type { MessagesRequest } from './anthropicSchema.js';
import { estimateRequestTokens } from './countTokens.js';
import { type ContentEncoding, type EncodedBody, encodeRequestBodySync } from './encodeRequestBody.js';
import type { ThinkingOutput } from './reasoningEffort.js';
import { type TranslateContext, translateRequest } from './translateRequest.js';
import type { BodyHead } from './upstreamHeaders.js';

/**
 * A request translated and encoded for the HTTP upstream in one go, for a thread other than the daemon's main
 * one (a large request): only bytes and small facts come back, never the translated body itself.
 */
export interface EncodedTranslation {
  encoded: EncodedBody;
  /** What the upstream headers repeat of the body. */
  head: BodyHead;
  /** `ToolNameMap.renamed`: the stream translator rebuilds the map from it. */
  renamedTools: ReadonlyMap<string, string>;
  thinking: ThinkingOutput;
  /** `estimateRequestTokens` of the body, for a context-length error's message. */
  promptTokens: number;
}

export function encodeTranslated(
  req: MessagesRequest,
  ctx: TranslateContext,
  encoding: ContentEncoding,
): EncodedTranslation {
  const { body, toolNames, thinking } = translateRequest(req, ctx);
  return {
    encoded: encodeRequestBodySync(JSON.stringify(body), encoding),
    head: { model: body.model, service_tier: body.service_tier, client_metadata: body.client_metadata },
    renamedTools: toolNames.renamed,
    thinking,
    promptTokens: estimateRequestTokens(body),
  };
}
