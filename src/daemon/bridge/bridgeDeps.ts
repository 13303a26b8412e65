import type { AnthropicApiError } from '../../translate/anthropicError.js';
import type { CodexModel } from '../../shared/schemas/codexModel.js';
import type { Settings } from '../../shared/schemas/settings.js';
import type { FailureKind, UpstreamFailure } from '../../translate/upstreamErrors.js';
import type { UpstreamTransport } from './upstreamTransport.js';

/** Where one request may go: the first candidate serves it, the rest are failover targets. */
export interface RouteCandidate {
  accountId: string;
  accountName: string;
  /** The account's preferred model, or null for its list's default. */
  model: string | null;
  /** Effective fast mode (account override, else global). */
  fastMode: boolean;
}

/**
 * Where a request goes, as a value: the candidates in order, or a refusal that is already the client's answer
 * (401 naming `ccbridge connect`/`use`, 400 for an unknown pinned account, 429 with the earliest reset).
 */
export type RouteResult =
  | { kind: 'route'; candidates: RouteCandidate[] }
  | { kind: 'refused'; reason: 'no_account' | 'exhausted'; error: AnthropicApiError };

/** What the daemon learns about each proxied request: no content, only accounting. */
export interface ProxyOutcome {
  requestId: string;
  accountId: string | null;
  accountName: string | null;
  /** The Claude Code session the request belongs to, if it names one. */
  sessionKey: string | null;
  /** The model the client asked for, and the Codex slug it went to (null when it never got that far). */
  requestedModel: string | null;
  model: string | null;
  stream: boolean;
  /** HTTP status the client got (200 for a stream that later failed: see `errorKind`). */
  status: number;
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  /** Part of `outputTokens` spent reasoning, as upstream reports it. */
  reasoningTokens: number;
  durationMs: number;
  /** Null on success; an upstream failure kind, or `client_abort` / `bad_request` / `no_account`. */
  errorKind: FailureKind | 'client_abort' | 'bad_request' | 'no_account' | null;
  /** Short error message, never content. */
  error: string | null;
}

/** A request while it runs: its outcome so far, and how much output it has streamed. */
export interface LiveRequest {
  readonly outcome: ProxyOutcome;
  /** Epoch ms. */
  readonly startedAt: number;
  outputTokensSoFar(): number;
}

export interface BridgeSettings {
  opusModel: string | null;
  sonnetModel: string | null;
  haikuModel: string | null;
  corsOrigin: string | null;
  /** WebSocket (with codex's HTTP fallback), WebSocket only, or HTTP only; read per request. */
  transport: Settings['transport'];
}

/** Everything the bridge needs from the daemon; the daemon implements it. */
export interface BridgeDeps {
  /** ccbridge version. */
  version: string;
  /** Current bridge token (may rotate). */
  token(): string;
  /** CCBRIDGE_UPSTREAM_URL, default https://chatgpt.com/backend-api/codex */
  upstreamUrl: string;
  /** How to reach `upstreamUrl` (proxy, CA), built once at daemon start; default: direct keep-alive. */
  upstreamTransport?: UpstreamTransport;
  /** e.g. "0.169.0", from `codex --version` on this machine. */
  codexVersion(): string;
  /** Extra fields for GET /health (active account name, …; no secrets). */
  health(): Record<string, unknown>;
  /** Ordered candidates for this request (first = where it goes; the rest are failover targets), or a refusal. */
  route(ctx: { sessionKey: string | null; pinnedAccount: string | null }): RouteResult;
  /**
   * Valid access token. After an upstream 401: `forceRefresh`, with the token the upstream rejected, so a token
   * someone already refreshed meanwhile is used without another refresh (single-flight inside). Throws
   * CcbridgeError when the account needs login.
   */
  credentials(
    accountId: string,
    opts?: { forceRefresh?: boolean; rejectedAccessToken?: string },
  ): Promise<{ accessToken: string; chatgptAccountId: string | null }>;
  /**
   * Codex model list for the account as the daemon has it now (never waiting on codex), or null when it has none →
   * built-in catalog.
   */
  models(accountId: string): CodexModel[] | null;
  /** The account's codex installation id (client_metadata), stable across requests. */
  installationId(accountId: string): string;
  settings(): BridgeSettings;
  /**
   * Passive rate-limit hook (x-codex-* headers), for every upstream response. The headers are Node's own
   * record (lower-case names), handed over without a copy: this runs on every request.
   */
  onUpstreamHeaders(accountId: string, headers: Readonly<Record<string, string | string[] | undefined>>): void;
  /** Runs `hook` when the daemon stops, after in-flight requests drained (upstream WebSockets close there). */
  onShutdown?(hook: () => void): void;
  /** A request arrived: the daemon lists it as in flight until its `onOutcome` (same `outcome` object). */
  onStart?(request: LiveRequest): void;
  /** One per request; the daemon logs the `proxy` event and stats. */
  onOutcome(o: ProxyOutcome): void;
  /** An upstream attempt failed before any byte reached the client; `next` is the account tried after it (null: none). */
  onAttemptFailed?(accountId: string, failure: UpstreamFailure, next: string | null): void;
  /** An account produced a request's first output: it serves the request, and the session stays with it. */
  onCommitted?(accountId: string, sessionKey: string | null): void;
}
