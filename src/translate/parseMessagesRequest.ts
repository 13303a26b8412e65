import type * as z from 'zod';
import { AnthropicApiError } from './anthropicError.js';
import { MessagesRequestSchema, type MessagesRequest } from './anthropicSchema.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './jsonNesting.js';

function describeIssue(outer: z.core.$ZodIssue): string {
  const path = outer.path.map(String).join('.') || 'body';
  // Block-level issues are re-raised as custom issues carrying the original (see anthropicSchema.ts).
  const inner = outer.code === 'custom' ? (outer.params?.issue as z.core.$ZodIssue | undefined) : undefined;
  const issue = inner ?? outer;
  if (issue.code === 'invalid_union') {
    const expected = new Set<string>();
    for (const branch of issue.errors)
      for (const sub of branch) if (sub.code === 'invalid_type') expected.add(sub.expected);
    if (expected.size) return `${path}: expected ${[...expected].join(' or ')}`;
  }
  if (issue.code === 'invalid_type') return `${path}: expected ${issue.expected}`;
  return `${path}: ${issue.message}`;
}

/** JSON text → a plain object; bad JSON, a non-object or nesting past MAX_JSON_DEPTH is a 400. */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH))
    throw new AnthropicApiError('invalid_request_error', `request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new AnthropicApiError('invalid_request_error', `request body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new AnthropicApiError('invalid_request_error', 'request body must be a JSON object');
  }
  return raw as Record<string, unknown>;
}

/** A parsed body → a Messages request; a bad field is a 400 naming the field's path. */
export function validateMessagesRequest(raw: unknown): MessagesRequest {
  const parsed = MessagesRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new AnthropicApiError('invalid_request_error', first ? describeIssue(first) : 'invalid request body');
  }
  return parsed.data;
}

/** Parses raw JSON text into a Messages request (both steps above). */
export function parseMessagesRequest(text: string): MessagesRequest {
  return validateMessagesRequest(parseJsonObject(text));
}
