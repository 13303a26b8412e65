/**
 * The headers of `POST {upstream}/responses`, named and ordered as the real codex 0.169.0 sends them over
 * HTTP with ChatGPT auth (test/fixtures/codex-capture/chatgpt-tool-round-trip.json), with `originator`
 * `codex_cli_rs` (the interactive CLI's; the capture came from `codex exec`). Left out on purpose:
 * `content-encoding: zstd` (Node 20 has no zstd), and codex's per-turn telemetry headers
 * (`x-codex-turn-metadata`, `x-codex-beta-features`), whose values ccbridge would have to invent.
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

export interface UpstreamHeaderInput {
  accessToken: string;
  chatgptAccountId: string | null;
  codexVersion: string;
  userAgent: string;
  /** The Claude session as a UUID: codex sends its thread id in all of these. */
  sessionId: string;
  model: string;
  priority: boolean;
}

export function upstreamHeaders(i: UpstreamHeaderInput): Record<string, string> {
  const headers: Record<string, string> = {
    version: i.codexVersion,
    'x-codex-window-id': `${i.sessionId}:0`,
    'x-codex-routing-hint': i.priority ? `model=${i.model};tier=priority` : `model=${i.model}`,
    'x-client-request-id': i.sessionId,
    'session-id': i.sessionId,
    'thread-id': i.sessionId,
    accept: 'text/event-stream',
    'content-type': 'application/json',
    authorization: `Bearer ${i.accessToken}`,
  };
  if (i.chatgptAccountId) headers['chatgpt-account-id'] = i.chatgptAccountId;
  headers.originator = ORIGINATOR;
  headers['user-agent'] = i.userAgent;
  return headers;
}
