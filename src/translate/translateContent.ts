import { AnthropicApiError } from './anthropicError.js';
import type { DocumentBlock, ImageBlock, SearchResultBlock, ToolResultBlock } from './anthropicSchema.js';
import type { InputItem, UserPart } from './responsesSchema.js';
import { shortCallId } from './toolNames.js';

/**
 * Anthropic content blocks → Responses content parts (user side: text, images, documents, search results,
 * tool references, tool results). Images become data URLs with codex's default `detail:"high"`.
 */

const IMAGE_DETAIL = 'high';

type UserBlock = { type: string; [key: string]: unknown };

function imagePart(block: ImageBlock): UserPart {
  const src = block.source;
  if (src.type === 'base64')
    return { type: 'input_image', image_url: `data:${src.media_type};base64,${src.data}`, detail: IMAGE_DETAIL };
  if (src.type === 'url') return { type: 'input_image', image_url: src.url, detail: IMAGE_DETAIL };
  throw new AnthropicApiError(
    'invalid_request_error',
    'image: file_id sources are not supported by ccbridge; send the image as base64 or url',
  );
}

function textPart(text: string): UserPart {
  return { type: 'input_text', text };
}

function documentHeader(block: DocumentBlock): string {
  const lines = [];
  if (block.title) lines.push(`Document: ${block.title}`);
  if (block.context) lines.push(block.context);
  return lines.join('\n');
}

/** Text documents inline as text; PDFs go as `input_file`; what cannot be sent is a clear 400. */
function documentParts(block: DocumentBlock): UserPart[] {
  const header = documentHeader(block);
  const withHeader = (text: string) => textPart(header ? `${header}\n\n${text}` : text);
  const src = block.source;
  switch (src.type) {
    case 'text':
      return [withHeader(src.data)];
    case 'content': {
      if (typeof src.content === 'string') return [withHeader(src.content)];
      const parts = userParts(src.content as UserBlock[]);
      return header ? [textPart(header), ...parts] : parts;
    }
    case 'base64':
      if (src.media_type === 'application/pdf') {
        const filename = block.title ? `${block.title}.pdf` : 'document.pdf';
        return [
          ...(header ? [textPart(header)] : []),
          { type: 'input_file', filename, file_data: `data:application/pdf;base64,${src.data}` },
        ];
      }
      if (src.media_type.startsWith('text/')) return [withHeader(Buffer.from(src.data, 'base64').toString('utf8'))];
      throw new AnthropicApiError(
        'invalid_request_error',
        `document: media type ${src.media_type} is not supported by ccbridge; send text or a PDF`,
      );
    case 'url':
      return [...(header ? [textPart(header)] : []), { type: 'input_file', file_url: src.url }];
    case 'file':
      throw new AnthropicApiError(
        'invalid_request_error',
        'document: file_id sources are not supported by ccbridge; send the document as text or base64',
      );
  }
}

function searchResultText(block: SearchResultBlock): string {
  const body = (block.content ?? [])
    .map((c) => c.text ?? '')
    .filter(Boolean)
    .join('\n');
  return [block.title, block.source, body].filter(Boolean).join('\n');
}

/** One user-side block → parts; blocks with no Responses equivalent (thinking in a user turn, betas) drop. */
export function userParts(blocks: readonly UserBlock[]): UserPart[] {
  const parts: UserPart[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'text':
        if (typeof block.text === 'string' && block.text) parts.push(textPart(block.text));
        break;
      case 'image':
        parts.push(imagePart(block as unknown as ImageBlock));
        break;
      case 'document':
        parts.push(...documentParts(block as unknown as DocumentBlock));
        break;
      case 'search_result':
        parts.push(textPart(searchResultText(block as unknown as SearchResultBlock)));
        break;
      case 'tool_reference':
        // ToolSearch's way of loading a tool; every tool is already declared upstream, so just say so.
        parts.push(textPart(`Tool ${String(block.tool_name)} is loaded and can be called.`));
        break;
    }
  }
  return parts;
}

/**
 * `tool_result` → `function_call_output`. Codex sends the array form only when an image is present and
 * plain text otherwise (contract §3); failures have no flag upstream, so `is_error` is said in the text.
 */
export function toolResultItem(block: ToolResultBlock): InputItem {
  const call_id = shortCallId(block.tool_use_id);
  const errorPrefix = block.is_error ? 'Error: ' : '';
  const content = block.content;
  if (content == null || typeof content === 'string') {
    return { type: 'function_call_output', call_id, output: errorPrefix + (content ?? '') };
  }
  const parts = userParts(content as UserBlock[]);
  if (parts.every((p) => p.type === 'input_text')) {
    return {
      type: 'function_call_output',
      call_id,
      output: errorPrefix + parts.map((p) => (p as { text: string }).text).join('\n'),
    };
  }
  if (errorPrefix) parts.unshift(textPart(errorPrefix.trim()));
  return { type: 'function_call_output', call_id, output: parts };
}
