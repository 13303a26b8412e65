import type { ContentEncoding } from './encodeRequestBody.js';
import type { ResponsesRequest } from './responsesSchema.js';
import { type ThreadIdentity, windowId } from './sessionKey.js';
import { SUBAGENT_HEADER_VALUE } from './turnMetadata.js';

/**
 * The headers of `POST {upstream}/responses`, named and ordered as the real codex 0.169.0 sends them over
 * HTTP with ChatGPT auth (test/fixtures/codex-capture/gpt-6.1-sol.json, gpt-5.5.json), with `originator`
 * `codex_cli_rs` (the interactive CLI's; the captures came from `codex exec`). Pure: both transports build
 * their headers here. Left out on purpose: `x-codex-beta-features` (codex announces its remote compaction,
 * which the bridge does not do).
 */
export const ORIGINATOR = 'codex_cli_rs';

export interface HostInfo {
  /** os_info style: "Debian", "Ubuntu", "Mac OS", "Windows". */
  osType: string;
  /** "12.0.0" */
  osVersion: string;
  /** "x86_64", "aarch64", "arm64" */
  arch: string;
  /** Terminal identity as codex reports it ("xterm", "iTerm.app/3.5.10", "unknown"). */
  terminal: string;
}

/** `{originator}/{version} ({os} {osver}; {arch}) {terminal}` (codex login/src/auth/default_client.rs). */
export function codexUserAgent(codexVersion: string, host: HostInfo): string {
  return `${ORIGINATOR}/${codexVersion} (${host.osType} ${host.osVersion}; ${host.arch}) ${host.terminal}`;
}

/** What the headers repeat of a translated body (all a large request's worker sends back of the body itself). */
export type BodyHead = Pick<ResponsesRequest, 'model' | 'service_tier' | 'client_metadata'>;

export interface UpstreamHeaderInput {
  accessToken: string;
  chatgptAccountId: string | null;
  codexVersion: string;
  userAgent: string;
  thread: ThreadIdentity;
  /** Of the translated body: model, tier and turn metadata are sent again as headers, as codex does. */
  body: BodyHead;
  /** The model is `use_responses_lite` in the catalogue. */
  responsesLite: boolean;
}

/** Codex's marker header for responses-lite models (over WebSocket it travels in `client_metadata`). */
export const RESPONSES_LITE_HEADER = 'x-openai-internal-codex-responses-lite';

export function upstreamHeaders(i: UpstreamHeaderInput): Record<string, string> {
  const { thread, body } = i;
  const metadata = body.client_metadata['x-codex-turn-metadata'];
  const tier = body.service_tier === 'priority' ? ';tier=priority' : '';
  const headers: Record<string, string> = {
    version: i.codexVersion,
    'x-codex-window-id': windowId(thread),
  };
  if (metadata) headers['x-codex-turn-metadata'] = metadata;
  if (thread.parentThreadId) {
    headers['x-codex-parent-thread-id'] = thread.parentThreadId;
    headers['x-openai-subagent'] = SUBAGENT_HEADER_VALUE;
  }
  if (i.responsesLite) headers[RESPONSES_LITE_HEADER] = 'true';
  Object.assign(headers, {
    'x-codex-routing-hint': `model=${body.model}${tier}`,
    'x-client-request-id': thread.threadId,
    'session-id': thread.sessionId,
    'thread-id': thread.threadId,
    accept: 'text/event-stream',
  });
  headers['content-type'] = 'application/json';
  headers.authorization = `Bearer ${i.accessToken}`;
  if (i.chatgptAccountId) headers['chatgpt-account-id'] = i.chatgptAccountId;
  headers.originator = ORIGINATOR;
  headers['user-agent'] = i.userAgent;
  return headers;
}

/**
 * The HTTP request's headers for a body sent with `encoding` (encodeRequestBody.ts): `content-encoding` goes where
 * codex puts it, right before `content-type`. Over WebSocket frames are never compressed this way.
 */
export function withContentEncoding(
  headers: Record<string, string>,
  encoding: ContentEncoding,
): Record<string, string> {
  if (!encoding) return headers;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k === 'content-type') out['content-encoding'] = encoding;
    out[k] = v;
  }
  return out;
}

/** Headers codex 0.169 sends per request inside each WebSocket frame rather than once on the handshake. */
const FRAME_HEADERS = [RESPONSES_LITE_HEADER];

/**
 * The request as it goes over the Responses WebSocket: per-request headers leave the handshake and travel in the
 * frame's `client_metadata` as `ws_request_header_<name>` (dashes as underscores), the way codex 0.169 sends the
 * responses-lite marker (test/fixtures/codex-capture/ws-gpt-6.1-sol.json). Pure.
 */
export function websocketRequest(
  headers: Record<string, string>,
  body: ResponsesRequest,
): { handshake: Record<string, string>; body: ResponsesRequest } {
  const moved = FRAME_HEADERS.filter((name) => name in headers);
  if (!moved.length) return { handshake: headers, body };
  const handshake = Object.fromEntries(Object.entries(headers).filter(([name]) => !moved.includes(name)));
  const metadata = { ...body.client_metadata };
  for (const name of moved) metadata[`ws_request_header_${name.replaceAll('-', '_')}`] = headers[name]!;
  return { handshake, body: { ...body, client_metadata: metadata } };
}
