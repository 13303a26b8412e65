import type { IncomingHttpHeaders } from 'node:http';
import type { FailureContext, UpstreamFailure } from '../../translate/upstreamErrors.js';
import type { EncodedBody } from '../../translate/encodeRequestBody.js';
import type { ResponsesRequest } from '../../translate/responsesSchema.js';
import { CcbridgeError } from '../../shared/errors.js';
import type { OpenResult } from './awaitFirstOutput.js';
import type { BridgeDeps } from './bridgeDeps.js';
import { toAnthropicError } from './bridgeErrors.js';
import type { Cancellation } from './cancellation.js';

/**
 * The Responses API client, shaped like codex-api's `ResponsesClient`: it takes a transport (HTTP SSE or
 * WebSocket) and an auth provider, and turns one request into one upstream event stream, whichever carried it.
 */

export interface UpstreamCredentials {
  accessToken: string;
  chatgptAccountId: string | null;
}

/** Credentials for one account; a failure is classified so the request can still go to the next account. */
export interface AuthProvider {
  credentials(): Promise<UpstreamCredentials | UpstreamFailure>;
  /** After an upstream 401: a fresh token, unless someone already replaced the rejected one. */
  refreshAfterRejection(rejected: UpstreamCredentials): Promise<UpstreamCredentials | UpstreamFailure>;
}

/** One Responses request, everything but the credentials fixed. */
export interface ResponsesCall {
  /** The ccbridge account: a WebSocket connection belongs to one account and one conversation thread. */
  accountId: string;
  /**
   * No Claude Code session named (the thread id is derived from the conversation's start): such requests share
   * their account's connections instead of opening one each; the continuation check keeps them apart.
   */
  sessionless: boolean;
  /** The upstream headers for these credentials. */
  headers(creds: UpstreamCredentials): Record<string, string>;
  /** The request, or (a large one, offloadRequest.ts) its bytes, already encoded for HTTP. */
  body: ResponsesRequest | EncodedBody;
  cancel: Cancellation;
  /** Time allowed until the response starts (HTTP: its status and headers). */
  headersTimeoutMs: number;
  /** The upstream silent this long, before or after its first output, is given up on (one limit). */
  idleLimitMs: number;
  failure: FailureContext;
  /** Every upstream response's headers (rate limits), as Node's lower-case record. */
  onHeaders(headers: IncomingHttpHeaders): void;
}

/** Sends one request with given headers; resolves at the first output (committed) or a classified failure. */
export interface ResponsesTransport {
  open(call: ResponsesCall, headers: Record<string, string>): Promise<OpenResult>;
}

export class ResponsesClient {
  constructor(
    private readonly transport: ResponsesTransport,
    private readonly auth: AuthProvider,
  ) {}

  /**
   * Opens the upstream; a 401 gets one forced token refresh and one retry. The rejected token goes along, so a
   * burst of 401s (or a token codex already rotated) costs one refresh.
   */
  async stream(call: ResponsesCall): Promise<OpenResult> {
    const creds = await this.auth.credentials();
    if ('kind' in creds) return { ok: false, failure: creds };
    const first = await this.transport.open(call, call.headers(creds));
    if (first.ok || first.failure.kind !== 'unauthorized') return first;
    const fresh = await this.auth.refreshAfterRejection(creds);
    return 'kind' in fresh ? { ok: false, failure: fresh } : this.transport.open(call, call.headers(fresh));
  }
}

/**
 * An account's codex OAuth tokens as an auth provider. An account that cannot produce a token (needs login,
 * refresh failing, codex missing) is a failed attempt like any other.
 */
export function accountAuth(deps: Pick<BridgeDeps, 'credentials'>, accountId: string): AuthProvider {
  const get = (opts?: { forceRefresh: true; rejectedAccessToken: string }) =>
    deps.credentials(accountId, opts).catch((err: unknown): UpstreamFailure => {
      if (err instanceof CcbridgeError) return { kind: 'credentials', error: toAnthropicError(err) };
      throw err;
    });
  return {
    credentials: () => get(),
    refreshAfterRejection: (rejected) => get({ forceRefresh: true, rejectedAccessToken: rejected.accessToken }),
  };
}
