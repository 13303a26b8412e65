import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Context } from 'hono';
import { bridgeTokenCheck } from './bridgeAuth.js';
import { bridgeOnError } from './bridgeErrors.js';
import { requestHeader } from './clientIo.js';
import type { BridgeEnv, BridgeRuntime } from './bridgeRuntime.js';
import { serveMessages } from './messagesRoute.js';
import { checkLoopbackHost } from './middleware/loopbackHostOnly.js';
import { newRequestId } from './middleware/requestId.js';

type FetchCallback = Parameters<typeof getRequestListener>[0];

/** Serves the request and returns true, or returns false for the hono app to serve it. */
export type MessagesListener = (incoming: IncomingMessage, outgoing: ServerResponse) => boolean;

const MESSAGES_PATHS = new Set(['/anthropic/v1/messages', '/v1/messages']);

/**
 * `POST /v1/messages` (and `/anthropic/v1/messages`), nearly every request Claude Code makes, served from the Node
 * server's request event instead of through hono. Measured on a bridge that only translates: hono's dispatch, its
 * middleware levels and its request objects in front of it cost 0.024 ms of CPU per request at c=64, a tenth of
 * that bridge's. The steps are the app's, in its order: request id, loopback `Host`, bridge token, then the same
 * route (`serveMessages`, on a hono Context of its own), every error answered by `bridgeOnError` with its
 * `request-id`. A configured CORS origin (its headers come from hono's middleware), a request without `Host`, and
 * every other method and path go to the app.
 */
export function messagesListener(rt: BridgeRuntime, configuredHost: string): MessagesListener {
  const checkToken = bridgeTokenCheck(() => rt.deps.token());
  return (incoming, outgoing) => {
    if (incoming.method !== 'POST') return false;
    const url = incoming.url ?? '';
    const query = url.indexOf('?');
    if (!MESSAGES_PATHS.has(query < 0 ? url : url.slice(0, query))) return false;
    const host = incoming.headers.host;
    if (!host || rt.deps.settings().corsOrigin) return false;
    // The route reads the Node request and response (clientIo.ts), never the web request: none is made.
    const c = new Context<BridgeEnv>(undefined as unknown as Request, { env: { incoming, outgoing } });
    const id = newRequestId();
    c.set('requestId', id);
    void serve(rt, c, host, configuredHost, checkToken)
      .then((res) => send(res, outgoing, id))
      .catch(() => outgoing.destroy());
    return true;
  };
}

async function serve(
  rt: BridgeRuntime,
  c: Context<BridgeEnv>,
  host: string,
  configuredHost: string,
  checkToken: ReturnType<typeof bridgeTokenCheck>,
): Promise<Response> {
  try {
    checkLoopbackHost(host, configuredHost);
    checkToken(requestHeader(c, 'authorization'), requestHeader(c, 'x-api-key'));
    return await serveMessages(rt, c);
  } catch (err) {
    return bridgeOnError(err as Error, c);
  }
}

/** A web Response (a JSON answer or an error) onto the Node response, with the request's `request-id`. */
async function send(res: Response, outgoing: ServerResponse, requestId: string): Promise<void> {
  if (res === RESPONSE_ALREADY_SENT) return;
  const body = Buffer.from(await res.arrayBuffer());
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name] = value;
  });
  headers['request-id'] = requestId;
  headers['content-length'] = String(body.length);
  outgoing.writeHead(res.status, headers);
  outgoing.end(body);
}

/**
 * The bridge's Node server: a Messages request goes to `messages()`'s listener once there is one, everything else
 * (and a Messages request it leaves) to the hono app's `fetch`.
 */
export function createBridgeServer(fetch: FetchCallback, messages: () => MessagesListener | null): Server {
  const app = getRequestListener(fetch);
  return createServer((req, res) => {
    if (!messages()?.(req, res)) void app(req, res);
  });
}
