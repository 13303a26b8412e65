import { AnthropicApiError } from '../../bridge/anthropicError.js';

/** Anthropic's own request limit (anthropic.md §4). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

function tooLarge(limit: number): AnthropicApiError {
  return new AnthropicApiError('request_too_large', `request body exceeds the ${Math.round(limit / 1024 / 1024)} MB limit`);
}

/** Reads the body as text, refusing more than `limit` bytes by Content-Length and by the bytes actually streamed. */
export async function readBodyText(req: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers.get('content-length'));
  if (declared > limit) throw tooLarge(limit);
  if (!req.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
