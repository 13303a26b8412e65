import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AnthropicApiError, anthropicErrorBody, errorTypeForStatus } from '../../translate/anthropicError.js';
import { CcbridgeError } from '../../shared/errors.js';

/** Any error thrown in a bridge route → the Anthropic error it is answered with. */
export function toAnthropicError(err: unknown): AnthropicApiError {
  if (err instanceof AnthropicApiError) return err;
  if (err instanceof CcbridgeError)
    return new AnthropicApiError(errorTypeForStatus(err.status), err.message, { status: err.status });
  if (err instanceof HTTPException)
    return new AnthropicApiError(errorTypeForStatus(err.status), err.message || 'request failed', {
      status: err.status,
    });
  return new AnthropicApiError('api_error', `ccbridge internal error: ${(err as Error)?.message ?? String(err)}`);
}

/** The one place bridge errors are shaped: Anthropic error JSON, its status and extra headers (`request-id` is set by `requestId()`). */
export function bridgeOnError(err: Error, c: Context): Response {
  const e = toAnthropicError(err);
  const requestId = (c.get('requestId') as string | undefined) ?? '';
  return c.json(anthropicErrorBody(e, requestId), e.status as 400, e.headers);
}
