import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import type { SecureContext } from 'node:tls';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { extraCaFile, hasPemCertificate, proxyFor, proxyLabel, type Env } from '../../translate/upstreamNetwork.js';

export interface NetworkLogEvent {
  level: 'info' | 'warn';
  message: string;
}

/** How every upstream request is sent: built once, handed to each request as is. */
export interface UpstreamTransport {
  agent: http.Agent;
  /**
   * TLS context trusting Node's default roots plus the extra CA file; undefined: Node's defaults. A context
   * rather than a `ca` option: built once instead of per connection, and not folded into the agent's pool key.
   * Passed per request because https-proxy-agent upgrades the tunnel with the request's TLS options only.
   */
  secureContext: SecureContext | undefined;
}

/** Node's default roots plus the PEM file codex is told to trust, or undefined (defaults) when none is usable. */
function extraCaContext(env: Env, log: (e: NetworkLogEvent) => void): SecureContext | undefined {
  const file = extraCaFile(env);
  if (!file) return undefined;
  let pem: string;
  try {
    pem = readFileSync(file.path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    log({
      level: 'warn',
      message: `${file.variable}=${file.path} cannot be read (${reason}); the bridge uses the default CA certificates`,
    });
    return undefined;
  }
  if (!hasPemCertificate(pem)) {
    log({
      level: 'warn',
      message: `${file.variable}=${file.path} holds no PEM certificate; the bridge uses the default CA certificates`,
    });
    return undefined;
  }
  log({ level: 'info', message: `bridge upstream trusts extra CA certificates from ${file.variable}=${file.path}` });
  // Required, not imported: an ES import of node:tls reads every export, and `rootCertificates` is a getter
  // that turns Node's ~140 bundled roots into strings the daemon would keep for good (~0.3 MB).
  const tls = createRequire(import.meta.url)('node:tls') as typeof import('node:tls');
  return tls.createSecureContext({ ca: [...tls.rootCertificates, pem] });
}

/**
 * The transport for every request to `target`, built once at daemon start: one keep-alive agent, direct or
 * through the environment's proxy (an HTTP CONNECT tunnel for https upstreams; https-proxy-agent keeps
 * tunnelled sockets in Node's keep-alive pool), trusting the extra CA file when one is set.
 */
export function createUpstreamTransport(
  target: URL,
  env: Env,
  log: (e: NetworkLogEvent) => void,
  poolIdleMs = POOL_IDLE_MS,
): UpstreamTransport {
  const secure = target.protocol === 'https:';
  const secureContext = secure ? extraCaContext(env, log) : undefined;
  return { agent: upstreamAgent(target, env, log, poolIdleMs), secureContext };
}

/**
 * A kept-alive connection unused this long is closed, as codex's HTTP client (reqwest: hyper's pool idle timeout)
 * closes its own. Kept forever, it outlived what a NAT or proxy on the way remembers, and a request sent on it
 * could go nowhere until the headers limit. (A WebSocket takes its socket off the pool, and `ws` clears the timer.)
 */
export const POOL_IDLE_MS = 90_000;

function upstreamAgent(target: URL, env: Env, log: (e: NetworkLogEvent) => void, poolIdleMs: number): http.Agent {
  const secure = target.protocol === 'https:';
  // `timeout` is the socket timeout Node's agent gives its connections; it destroys one that reaches it in the pool
  // (a timeout during a response only emits an event nobody here listens to).
  const options = { keepAlive: true, scheduling: 'lifo' as const, timeout: poolIdleMs };
  const decision = proxyFor(target, env);
  switch (decision.kind) {
    case 'proxy': {
      const { url, variable } = decision.proxy;
      log({
        level: 'info',
        message: `bridge upstream ${target.host} goes through the proxy ${proxyLabel(url)} (${variable})`,
      });
      const agent = secure ? new HttpsProxyAgent(url, options) : new HttpProxyAgent(url, options);
      // https-proxy-agent replaces the options Node's agent keeps, and Node reads the pool's idle time from there
      // when a connection returns to the pool.
      (agent.options as { timeout?: number }).timeout = poolIdleMs;
      return agent;
    }
    case 'bypassed':
      log({
        level: 'info',
        message: `bridge upstream ${target.host} is in NO_PROXY: connecting directly despite ${decision.variable}`,
      });
      break;
    case 'unsupported':
      log({ level: 'warn', message: `${decision.variable} ignored: ${decision.reason}; the bridge connects directly` });
      break;
    case 'direct':
      break;
  }
  return secure ? new https.Agent(options) : new http.Agent(options);
}

/**
 * Calls `listener` whenever one of `agent`'s connections closes, however (the backend dropping an idle keep-alive
 * connection included). Hooked where the agent makes a connection, plain or through a proxy: once per connection,
 * nothing per request.
 */
export function onConnectionClosed(agent: http.Agent, listener: () => void): void {
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const socket = create(options, (err, stream) => {
      if (!socket && stream) stream.once('close', listener);
      callback?.(err, stream);
    });
    socket?.once('close', listener);
    return socket;
  };
}
