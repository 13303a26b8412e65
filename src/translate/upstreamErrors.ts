import { AnthropicApiError } from './anthropicError.js';
import type { UpstreamError } from './upstreamEvents.js';

/**
 * Upstream failures (HTTP errors before the stream, `response.failed` / `error` events in it) → the
 * Anthropic error Claude Code should see, plus a kind the router uses (failover, cooldown, refresh).
 */
/**
 * `credentials`: the account could not produce a token at all (needs login, refresh failing, codex missing).
 * `backend`: the backend, or something on the way to it, failed in a way no other account changes (no answer in
 * time, an HTML challenge page, plain text instead of an event stream): no failover, no cooldown.
 */
export type FailureKind =
  | 'usage_limit'
  | 'backend'
  | 'rate_limit'
  | 'unauthorized'
  | 'credentials'
  | 'overloaded'
  | 'context_length'
  | 'invalid_request'
  | 'other';

export interface UpstreamFailure {
  kind: FailureKind;
  error: AnthropicApiError;
  /** Unix seconds the account's quota comes back, when the backend said so (429 `usage_limit_reached`). */
  resetsAt?: number;
}

export interface FailureContext {
  /** Unix ms, for `retry-after` from `resets_at`. */
  now: number;
  accountName: string;
  model: string;
  contextWindow: number;
  /** Token count of the translated request, computed only when a context error needs it. */
  promptTokens: () => number;
}

interface ErrorBody {
  type?: string;
  code?: string;
  message?: string;
  plan_type?: string;
  resets_at?: number;
  resets_in_seconds?: number;
}

/** `{error:{…}}`, `{detail:"…"}` or plain text, as the backend and Cloudflare answer. */
export function parseErrorBody(text: string): ErrorBody {
  try {
    const json = JSON.parse(text) as { error?: unknown; detail?: unknown; message?: unknown };
    if (json.error && typeof json.error === 'object') return json.error as ErrorBody;
    if (typeof json.error === 'string') return { message: json.error };
    if (typeof json.detail === 'string') return { message: json.detail };
    if (json.detail && typeof json.detail === 'object') return json.detail as ErrorBody;
    if (typeof json.message === 'string') return { message: json.message };
  } catch {
    // not JSON
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('<')) return { message: describeHtml(trimmed) };
  return { message: trimmed.slice(0, 500) || undefined };
}

/** First `n` words of some text, whitespace folded. */
function firstWords(text: string, n = 20): string {
  const words = text.split(/\s+/).filter(Boolean);
  return words.slice(0, n).join(' ') + (words.length > n ? ' …' : '');
}

/** An HTML page in a few words: its title, else the first words of its text. */
export function describeHtml(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const text = (title ?? html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ')).trim();
  return `an HTML page: ${firstWords(text) || '(empty)'}`;
}

const looksHtml = (contentType: string, text: string) =>
  /html/i.test(contentType) || /^\s*<(!doctype|html|head|body)/i.test(text);

/**
 * A 200 that is not an event stream: a challenge page, a proxy's or portal's answer. It says what came back, and
 * is a `backend` failure: every account would get the same page.
 */
export function classifyUnexpectedAnswer(contentType: string, text: string): UpstreamFailure {
  const what = looksHtml(contentType, text)
    ? describeHtml(text)
    : `${contentType || 'no content type'} instead of an event stream${text.trim() ? `: ${firstWords(text)}` : ''}`;
  return {
    kind: 'backend',
    error: new AnthropicApiError('api_error', `the Codex backend answered ${what}`, { status: 502 }),
  };
}

/** Nothing from the backend within the limit: a `timeout_error`, not retried on another account (same backend). */
export function upstreamTimeout(what: string, limitMs: number): UpstreamFailure {
  const limit = limitMs >= 1000 ? `${Math.round(limitMs / 1000)} s` : `${limitMs} ms`;
  return {
    kind: 'backend',
    error: new AnthropicApiError('timeout_error', `the Codex backend sent ${what} for ${limit}`),
  };
}

const CONTEXT_TEXT = /context[ _](length|window)|maximum context|too many tokens|prompt is too long|input is too long/i;

/** Claude Code compacts on exactly this wording (anthropic.md §4). */
function contextTooLong(message: string | undefined, ctx: FailureContext): UpstreamFailure {
  const max = Number(/maximum context length is (\d+)/i.exec(message ?? '')?.[1]) || ctx.contextWindow;
  const stated = Number(/resulted in (\d+) tokens/i.exec(message ?? '')?.[1]);
  const tokens = Math.max(stated || ctx.promptTokens(), max + 1);
  return {
    kind: 'context_length',
    error: new AnthropicApiError('invalid_request_error', `prompt is too long: ${tokens} tokens > ${max} maximum`),
  };
}

function retryAfterSeconds(body: ErrorBody, ctx: FailureContext): number | null {
  if (typeof body.resets_in_seconds === 'number') return Math.max(1, Math.ceil(body.resets_in_seconds));
  if (typeof body.resets_at === 'number') return Math.max(1, Math.ceil(body.resets_at - ctx.now / 1000));
  const m = /try again in (\d+(?:\.\d+)?)\s*(ms|s)/i.exec(body.message ?? '');
  if (m) return Math.max(1, Math.ceil(Number(m[1]) / (m[2] === 'ms' ? 1000 : 1)));
  return null;
}

function usageLimit(body: ErrorBody, ctx: FailureContext): UpstreamFailure {
  const retry = retryAfterSeconds(body, ctx);
  const resets =
    typeof body.resets_at === 'number' ? `; resets at ${new Date(body.resets_at * 1000).toISOString()}` : '';
  const plan = body.plan_type ? ` (${body.plan_type} plan)` : '';
  const headers: Record<string, string> = { 'x-should-retry': 'false' };
  if (retry !== null) headers['retry-after'] = String(retry);
  return {
    kind: 'usage_limit',
    ...(typeof body.resets_at === 'number' ? { resetsAt: body.resets_at } : {}),
    error: new AnthropicApiError(
      'rate_limit_error',
      `Codex usage limit reached for account ${ctx.accountName}${plan}${resets}. Switch with \`ccbridge use <account>\` or wait.`,
      { headers },
    ),
  };
}

function rateLimited(body: ErrorBody, ctx: FailureContext): UpstreamFailure {
  const retry = retryAfterSeconds(body, ctx);
  return {
    kind: 'rate_limit',
    error: new AnthropicApiError(
      'rate_limit_error',
      `Codex backend rate limit: ${body.message ?? 'too many requests'}`,
      {
        headers: retry !== null ? { 'retry-after': String(retry) } : {},
      },
    ),
  };
}

function overloaded(message: string | undefined): UpstreamFailure {
  return {
    kind: 'overloaded',
    error: new AnthropicApiError('overloaded_error', `Codex backend is overloaded${message ? `: ${message}` : ''}`),
  };
}

function notIncluded(ctx: FailureContext): UpstreamFailure {
  return {
    kind: 'usage_limit',
    error: new AnthropicApiError(
      'permission_error',
      `account ${ctx.accountName}'s ChatGPT plan does not include Codex; use another account with \`ccbridge use <account>\``,
    ),
  };
}

/** Failures announced inside the stream (`response.failed`, `error`), codes per codex.md §9. */
export function classifyStreamFailure(err: UpstreamError | null | undefined, ctx: FailureContext): UpstreamFailure {
  const code = err?.code ?? err?.type ?? '';
  const message = err?.message ?? undefined;
  switch (code) {
    case 'context_length_exceeded':
      return contextTooLong(message, ctx);
    case 'usage_limit_reached':
    case 'insufficient_quota':
      return usageLimit({ message }, ctx);
    case 'usage_not_included':
      return notIncluded(ctx);
    case 'rate_limit_exceeded':
      return rateLimited({ message }, ctx);
    case 'server_is_overloaded':
    case 'slow_down':
      return overloaded(message);
    case 'invalid_prompt':
    case 'cyber_policy':
      return {
        kind: 'invalid_request',
        error: new AnthropicApiError('invalid_request_error', `Codex backend refused the prompt: ${message ?? code}`),
      };
  }
  if (message && CONTEXT_TEXT.test(message)) return contextTooLong(message, ctx);
  return {
    kind: 'other',
    error: new AnthropicApiError(
      'api_error',
      `Codex backend error${code ? ` (${code})` : ''}: ${message ?? 'the response failed'}`,
    ),
  };
}

/** A non-2xx answer to `POST /responses`, before any byte reached the client. */
export function classifyHttpFailure(
  status: number,
  bodyText: string,
  ctx: FailureContext,
  retryAfterHeader?: string | null,
): UpstreamFailure {
  const body = parseErrorBody(bodyText);
  const code = body.code ?? body.type;
  const detail = body.message;
  if (status === 429) {
    if (code === 'usage_limit_reached') return usageLimit(body, ctx);
    if (code === 'usage_not_included') return notIncluded(ctx);
    const withHeader =
      retryAfterHeader && /^\d+$/.test(retryAfterHeader)
        ? { ...body, resets_in_seconds: Number(retryAfterHeader) }
        : body;
    return rateLimited(withHeader, ctx);
  }
  if (status === 401) {
    return {
      kind: 'unauthorized',
      error: new AnthropicApiError(
        'authentication_error',
        `the Codex backend rejected account ${ctx.accountName}'s login; run \`ccbridge connect ${ctx.accountName}\``,
      ),
    };
  }
  if (code === 'context_length_exceeded' || (detail && CONTEXT_TEXT.test(detail))) return contextTooLong(detail, ctx);
  if (status === 503 || status === 529 || code === 'server_is_overloaded' || code === 'slow_down')
    return overloaded(detail);
  if (status >= 500)
    return {
      kind: 'overloaded',
      error: new AnthropicApiError('api_error', `Codex backend error ${status}${detail ? `: ${detail}` : ''}`),
    };
  if (status === 404) {
    const text =
      detail && /model/i.test(detail)
        ? `model '${ctx.model}' not found: ${detail}`
        : `Codex backend: ${detail ?? 'not found'}`;
    return { kind: 'invalid_request', error: new AnthropicApiError('not_found_error', text) };
  }
  if (status === 403) {
    return {
      // A challenge page is about this machine or network, not the account; a JSON refusal may be the account's.
      kind: looksHtml('', bodyText) ? 'backend' : 'other',
      error: new AnthropicApiError(
        'permission_error',
        `Codex backend refused the request (403)${detail ? `: ${detail}` : ''}`,
      ),
    };
  }
  if (status === 413)
    return {
      kind: 'invalid_request',
      error: new AnthropicApiError(
        'request_too_large',
        `Codex backend: request too large${detail ? `: ${detail}` : ''}`,
      ),
    };
  return {
    kind: 'invalid_request',
    error: new AnthropicApiError(
      'invalid_request_error',
      `Codex backend rejected the request (${status})${detail ? `: ${detail}` : ''}`,
      { status: status >= 400 && status < 500 ? status : 400 },
    ),
  };
}
