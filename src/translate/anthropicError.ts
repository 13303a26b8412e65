import { redactText } from '../core/redact.js';

/**
 * Anthropic's error vocabulary (anthropic.md §4). Every failure the bridge answers with is one of these,
 * so Claude Code's retry and compaction logic sees exactly what Anthropic would send.
 */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

const STATUS_OF: Record<AnthropicErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

export class AnthropicApiError extends Error {
  readonly status: number;
  readonly errorType: AnthropicErrorType;
  /** Extra response headers (`retry-after`, `x-should-retry`). */
  readonly headers: Record<string, string>;

  constructor(
    errorType: AnthropicErrorType,
    message: string,
    opts: { status?: number; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'AnthropicApiError';
    this.errorType = errorType;
    this.status = opts.status ?? STATUS_OF[errorType];
    this.headers = opts.headers ?? {};
  }
}

/** The error type Anthropic uses for a status (unknown 4xx → invalid_request_error, unknown 5xx → api_error). */
export function errorTypeForStatus(status: number): AnthropicErrorType {
  for (const [type, s] of Object.entries(STATUS_OF)) if (s === status) return type as AnthropicErrorType;
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
  request_id: string;
}

/** The wire form of every error a client gets (JSON answer or SSE event): the one place its text is redacted. */
export function anthropicErrorBody(err: AnthropicApiError, requestId: string): AnthropicErrorBody {
  return { type: 'error', error: { type: err.errorType, message: redactText(err.message) }, request_id: requestId };
}

/** The SSE frame for an error after the stream has started (Anthropic's own mid-stream error shape). */
export function anthropicErrorEvent(err: AnthropicApiError, requestId: string): string {
  return `event: error\ndata: ${JSON.stringify(anthropicErrorBody(err, requestId))}\n\n`;
}
