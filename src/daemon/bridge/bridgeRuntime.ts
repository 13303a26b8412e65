import type { BridgeDeps } from './bridgeDeps.js';
import type { ResponsesTransport } from './responsesClient.js';

/** What every bridge route shares: the daemon's deps plus fixed per-app settings. */
export interface BridgeRuntime {
  deps: BridgeDeps;
  /** `{upstreamUrl}/responses` */
  responsesUrl: URL;
  /** How Responses requests are sent (over the daemon's one keep-alive agent, proxy, CA). */
  responsesTransport: ResponsesTransport;
  /** codex's User-Agent for the installed codex version on this host. */
  userAgent(): string;
  /** Quiet time before a `ping`. */
  pingMs: number;
  /** An upstream silent this long, before or after its first output, is given up on (one limit, one timer). */
  idleLimitMs: number;
  /** An upstream that has not started its response (status and headers) after this long is given up on. */
  headersTimeoutMs: number;
}

export type BridgeEnv = {
  Variables: {
    requestId: string;
    /** Middleware prepared response headers (CORS) that an answer written to Node directly must copy. */
    preparedHeaders?: true;
  };
};
