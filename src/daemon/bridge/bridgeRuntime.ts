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
  /** Quiet time before a `ping` (and before a silent upstream is committed to anyway). */
  pingMs: number;
  /** An upstream silent this long after committing is given up on. */
  idleLimitMs: number;
}

export type BridgeEnv = { Variables: { requestId: string } };
