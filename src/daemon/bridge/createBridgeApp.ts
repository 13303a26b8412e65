import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { AnthropicApiError } from '../../translate/anthropicError.js';
import { codexUserAgent, type HostInfo } from '../../translate/upstreamHeaders.js';
import { bridgeAuth } from './bridgeAuth.js';
import type { BridgeDeps } from './bridgeDeps.js';
import { bridgeOnError } from './bridgeErrors.js';
import type { BridgeEnv, BridgeRuntime } from './bridgeRuntime.js';
import { countTokensRoute } from './countTokensRoute.js';
import { healthRoute } from './healthRoute.js';
import { HttpResponsesTransport } from './httpResponsesTransport.js';
import { detectHostInfo } from './hostInfo.js';
import { messagesRoute } from './messagesRoute.js';
import { modelsRoute } from './modelsRoute.js';
import { UPSTREAM_IDLE_LIMIT_MS } from './pumpSse.js';
import { createUpstreamTransport } from './upstreamTransport.js';

export type { BridgeDeps, BridgeSettings, ProxyOutcome, RouteCandidate } from './bridgeDeps.js';

export interface BridgeAppOptions {
  /** Quiet time before a `ping` (default 10 s; tests shorten it). */
  pingIntervalMs?: number;
  /** Host identity for the User-Agent (detected when omitted). */
  hostInfo?: HostInfo;
  /** Give up on an upstream silent this long mid-response (default 300 s, codex's own limit; tests shorten it). */
  upstreamIdleMs?: number;
}

/**
 * The bridge's HTTP app, mounted by the daemon on the bridge listener: `GET /health` and `HEAD /api/hello`
 * without a token; the Anthropic API under both `/anthropic/v1/*` and `/v1/*` behind the bridge token.
 */
export function createBridgeApp(deps: BridgeDeps, opts: BridgeAppOptions = {}): Hono<BridgeEnv> {
  const host = opts.hostInfo ?? detectHostInfo();
  let ua = { version: '', value: '' };
  const responsesUrl = new URL(`${deps.upstreamUrl.replace(/\/+$/, '')}/responses`);
  const rt: BridgeRuntime = {
    deps,
    responsesUrl,
    responsesTransport: new HttpResponsesTransport(
      responsesUrl,
      deps.upstreamTransport ?? createUpstreamTransport(responsesUrl, {}, () => {}),
    ),
    userAgent: () => {
      const version = deps.codexVersion();
      if (ua.version !== version) ua = { version, value: codexUserAgent(version, host) };
      return ua.value;
    },
    pingMs: opts.pingIntervalMs ?? 10_000,
    idleLimitMs: opts.upstreamIdleMs ?? UPSTREAM_IDLE_LIMIT_MS,
  };

  const app = new Hono<BridgeEnv>();
  app.use('*', async (c, next) => {
    c.set('requestId', `req_${randomUUID().replaceAll('-', '')}`);
    await next();
  });
  // CORS only when a browser origin is configured: the middleware is not free on every request.
  const allowOrigin = cors({
    origin: (origin) => (origin && deps.settings().corsOrigin === origin ? origin : null),
    exposeHeaders: ['request-id'],
  });
  app.use('*', (c, next) => (deps.settings().corsOrigin ? allowOrigin(c, next) : next()));
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
  return app;
}
