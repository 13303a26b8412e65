import { Hono } from 'hono';
import { AnthropicApiError } from '../../translate/anthropicError.js';
import { codexUserAgent, type HostInfo } from '../../translate/upstreamHeaders.js';
import { bridgeAuth } from './bridgeAuth.js';
import type { BridgeDeps } from './bridgeDeps.js';
import { bridgeOnError } from './bridgeErrors.js';
import type { BridgeEnv, BridgeRuntime } from './bridgeRuntime.js';
import { countTokensRoute } from './countTokensRoute.js';
import { healthRoute } from './healthRoute.js';
import { HttpResponsesTransport } from './httpResponsesTransport.js';
import { detectHostInfo } from './detectHostInfo.js';
import { messagesRoute } from './messagesRoute.js';
import { messagesListener, type MessagesListener } from './messagesListener.js';
import { modelsRoute } from './modelsRoute.js';
import { UPSTREAM_IDLE_LIMIT_MS } from './pumpSse.js';
import { UPSTREAM_HEADERS_LIMIT_MS } from './upstreamClient.js';
import { createUpstreamTransport } from './upstreamTransport.js';
import { corsWhenConfigured } from './middleware/corsWhenConfigured.js';
import { loopbackHostOnly } from './middleware/loopbackHostOnly.js';
import { requestId } from './middleware/requestId.js';
import { WsResponsesTransport } from './wsResponsesTransport.js';

export type { BridgeDeps, BridgeSettings, ProxyOutcome, RouteCandidate } from './bridgeDeps.js';

export interface BridgeAppOptions {
  /** Quiet time before a `ping` (default 10 s; tests shorten it). */
  pingIntervalMs?: number;
  /** Host identity for the User-Agent (detected when omitted). */
  hostInfo?: HostInfo;
  /** Give up on an upstream silent this long, before or after its first output (default 300 s, codex's own limit). */
  upstreamIdleMs?: number;
  /** Give up on an upstream that has not sent its status and headers after this long (default 60 s). */
  upstreamHeadersMs?: number;
  /** The host the bridge listens on (CCBRIDGE_HOST): accepted in `Host` besides the loopback names. */
  host?: string;
}

/**
 * The bridge's HTTP app, mounted by the daemon on the bridge listener: `GET /health` and `HEAD /api/hello`
 * without a token; the Anthropic API under both `/anthropic/v1/*` and `/v1/*` behind the bridge token.
 */
export function createBridgeApp(deps: BridgeDeps, opts: BridgeAppOptions = {}): Hono<BridgeEnv> {
  return createBridge(deps, opts).app;
}

/** The bridge as the daemon serves it: the app, and the same Messages route as a Node listener (messagesListener). */
export function createBridge(
  deps: BridgeDeps,
  opts: BridgeAppOptions = {},
): { app: Hono<BridgeEnv>; messages: MessagesListener } {
  const host = opts.hostInfo ?? detectHostInfo();
  let ua = { version: '', value: '' };
  const responsesUrl = new URL(`${deps.upstreamUrl.replace(/\/+$/, '')}/responses`);
  const network = deps.upstreamTransport ?? createUpstreamTransport(responsesUrl, {}, () => {});
  const http = new HttpResponsesTransport(responsesUrl, network);
  const responsesTransport = new WsResponsesTransport(responsesUrl, network, http, () => deps.settings().transport);
  deps.onShutdown?.(() => responsesTransport.close());
  const rt: BridgeRuntime = {
    deps,
    responsesUrl,
    responsesTransport,
    userAgent: () => {
      const version = deps.codexVersion();
      if (ua.version !== version) ua = { version, value: codexUserAgent(version, host) };
      return ua.value;
    },
    pingMs: opts.pingIntervalMs ?? 10_000,
    idleLimitMs: opts.upstreamIdleMs ?? UPSTREAM_IDLE_LIMIT_MS,
    headersTimeoutMs: opts.upstreamHeadersMs ?? UPSTREAM_HEADERS_LIMIT_MS,
  };

  const app = new Hono<BridgeEnv>();
  app.use('*', requestId());
  app.use('*', loopbackHostOnly(opts.host ?? '127.0.0.1'));
  app.use(
    '*',
    corsWhenConfigured(() => deps.settings().corsOrigin),
  );
  app.route('/', healthRoute(rt));

  const api = new Hono<BridgeEnv>();
  api.use(
    '*',
    bridgeAuth(() => deps.token()),
  );
  api.route('/', messagesRoute(rt));
  api.route('/', countTokensRoute(rt));
  api.route('/', modelsRoute(rt));
  app.route('/anthropic/v1', api);
  app.route('/v1', api);

  app.notFound((c) =>
    bridgeOnError(new AnthropicApiError('not_found_error', `no route for ${c.req.method} ${c.req.path}`), c),
  );
  app.onError(bridgeOnError);
  return { app, messages: messagesListener(rt, opts.host ?? '127.0.0.1') };
}
