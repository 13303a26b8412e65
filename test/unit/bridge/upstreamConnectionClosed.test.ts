import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cancellation } from '../../../src/daemon/bridge/cancellation.js';
import { postUpstream } from '../../../src/daemon/bridge/upstreamClient.js';
import { createUpstreamTransport, onConnectionClosed } from '../../../src/daemon/bridge/upstreamTransport.js';
import { startConnectProxy, type ConnectProxy } from '../../fakes/connectProxy.js';
import { makeTestTls } from '../../fakes/tlsCert.js';
import { until } from '../../helpers/until.js';

// The idle memory release hears when the backend drops the bridge's kept-alive connections (runDaemon.ts). The
// agent makes them one way when direct and another through a proxy (https-proxy-agent): both are heard.

let server: https.Server;
let proxy: ConnectProxy;
let caPath: string;

beforeAll(async () => {
  const tls = makeTestTls();
  caPath = tls.caPath;
  server = https.createServer({ cert: tls.cert, key: tls.key }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy = await startConnectProxy();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await proxy.close();
});

describe('onConnectionClosed', () => {
  it.each([
    ['direct', (): Record<string, string> => ({})],
    ['through a CONNECT proxy', (): Record<string, string> => ({ HTTPS_PROXY: proxy.url })],
  ])('hears a kept-alive upstream connection close, %s', async (_how, proxyEnv) => {
    const target = new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const transport = createUpstreamTransport(target, { ...proxyEnv(), CODEX_CA_CERTIFICATE: caPath }, () => {});
    let closed = 0;
    onConnectionClosed(transport.agent, () => closed++);
    const get = async () => {
      const res = await postUpstream(target, transport, {}, Buffer.from('{}'), new Cancellation());
      let text = '';
      for await (const chunk of res) text += chunk;
      return text;
    };
    expect(await get()).toBe('ok');
    expect(await get()).toBe('ok'); // the same kept-alive connection
    expect(closed).toBe(0);
    server.closeIdleConnections();
    await until(() => closed === 1, 5_000, 'the close heard');
    transport.agent.destroy();
  });

  it.each([
    ['direct', (): Record<string, string> => ({})],
    ['through a CONNECT proxy', (): Record<string, string> => ({ HTTPS_PROXY: proxy.url })],
  ])('closes a kept-alive connection unused for the pool idle time itself, %s', async (_how, proxyEnv) => {
    const target = new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const env = { ...proxyEnv(), CODEX_CA_CERTIFICATE: caPath };
    const transport = createUpstreamTransport(target, env, () => {}, 300);
    let closed = 0;
    onConnectionClosed(transport.agent, () => closed++);
    const res = await postUpstream(target, transport, {}, Buffer.from('{}'), new Cancellation());
    for await (const _ of res);
    const idleFrom = Date.now();
    // The server would keep it 5 s (Node's keep-alive timeout): the bridge closes it first.
    await until(() => closed === 1, 3_000, 'the idle connection closed');
    expect(Date.now() - idleFrom).toBeGreaterThanOrEqual(250);
    transport.agent.destroy();
  });
});
