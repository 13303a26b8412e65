import { join } from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlApi } from '../../../src/client/controlApi.js';
import { DaemonClient } from '../../../src/client/daemonClient.js';
import { resolvePaths } from '../../../src/shared/paths.js';
import { FAKE_CODEX } from '../../helpers/codexTestKit.js';
import { sse, startFakeCodexBackend, type FakeCodexBackend } from '../../fakes/codexBackend.js';
import { startConnectProxy, type ConnectProxy } from '../../fakes/connectProxy.js';
import { makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { makeTestTls, type TestTls } from '../../fakes/tlsCert.js';
import { bridgeClient, makeHome, ok, okJson, type TestHome } from '../../helpers/cli.js';
import { apiError } from '../../helpers/bridgeHarness.js';

// The built daemon behind a corporate-style network: an https Codex backend signed by a private CA and a
// CONNECT proxy in between. HTTPS_PROXY, NO_PROXY and CODEX_CA_CERTIFICATE are read once at daemon start,
// so each case restarts the daemon with its environment.

let h: TestHome;
let tls: TestTls;
let backend: FakeCodexBackend;
let proxy: ConnectProxy;
let client: Anthropic;

const backendHostPort = () => new URL(backend.url).host;
const systemEvents = async () =>
  (await new DaemonClient(resolvePaths(h.env)).call(controlApi.events(200))).events.filter(
    (e) => e.category === 'system',
  );
const ask = () =>
  client.messages.create({ model: 'ccbridge-sonnet', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });

/** Restarts the daemon with these network variables (the rest of the environment unchanged). */
async function restartWith(env: Record<string, string | undefined>): Promise<void> {
  await ok(h, ['stop']);
  h.set({ HTTPS_PROXY: undefined, NO_PROXY: undefined, CODEX_CA_CERTIFICATE: undefined, ...env });
  await ok(h, ['start']);
  proxy.tunnels.length = 0;
  backend.requests.length = 0;
}

beforeAll(async () => {
  tls = makeTestTls();
  [backend, proxy] = await Promise.all([startFakeCodexBackend({ tls }), startConnectProxy()]);
  h = await makeHome({ CCBRIDGE_CODEX_BIN: FAKE_CODEX, CCBRIDGE_UPSTREAM_URL: backend.url });
  const id = ((await okJson(h, ['add', 'work'])) as { id: string }).id;
  writeAuthJson(
    join(h.env.CCBRIDGE_HOME!, 'accounts', id, 'codex-home'),
    makeTokens({ chatgptAccountId: 'acct-work' }),
  );
  client = await bridgeClient(h);
});

afterAll(async () => {
  await h.cleanup();
  await Promise.all([backend.close(), proxy.close()]);
});

describe('the bridge behind a proxy, trusting an extra CA', () => {
  it('tunnels to the https backend through HTTPS_PROXY with Basic proxy auth, one kept-alive tunnel for two requests', async () => {
    const proxyWithAuth = proxy.url.replace('http://', 'http://alice:s%3Acret@');
    await restartWith({ HTTPS_PROXY: proxyWithAuth, CODEX_CA_CERTIFICATE: tls.caPath });
    // The default transport: one WebSocket through the tunnel, reused by the second request.
    backend.websocket = 'accept';
    backend.script({ kind: 'sse', events: sse.response([sse.message('through the tunnel')]) });
    const msg = await ask();
    expect(msg.content).toEqual([{ type: 'text', text: 'through the tunnel', citations: null }]);
    await ask();
    backend.websocket = 'refuse';
    expect(backend.requests).toHaveLength(2);
    expect(backend.upgrades).toHaveLength(1);
    expect(proxy.tunnels.map((t) => t.target)).toEqual([backendHostPort()]);
    expect(proxy.tunnels[0]!.headers['proxy-authorization']).toBe(
      `Basic ${Buffer.from('alice:s:cret').toString('base64')}`,
    );

    const messages = (await systemEvents()).map((e) => `${e.level} ${e.message}`);
    expect(messages).toContainEqual(expect.stringMatching(new RegExp(`^info .*proxy ${proxy.url}.*HTTPS_PROXY`)));
    expect(messages).toContainEqual(expect.stringContaining(`CODEX_CA_CERTIFICATE=${tls.caPath}`));
    expect(messages.join('\n')).not.toMatch(/alice|s%3Acret/);
  });

  it('connects directly when NO_PROXY matches the backend', async () => {
    await restartWith({ HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com,127.0.0.1', CODEX_CA_CERTIFICATE: tls.caPath });
    await ask();
    expect(backend.requests).toHaveLength(1);
    expect(proxy.tunnels).toEqual([]);
  });

  it('without a readable CA file: one warn naming the variable and path, default roots, and the private CA is refused', async () => {
    const missing = join(h.dir, 'no-such-ca.pem');
    await restartWith({ HTTPS_PROXY: proxy.url, CODEX_CA_CERTIFICATE: missing });
    const warns = (await systemEvents()).filter(
      (e) => e.level === 'warn' && e.message.includes(`CODEX_CA_CERTIFICATE=${missing}`),
    );
    expect(warns).toHaveLength(1);
    const err = await apiError(ask());
    expect(err.status).toBe(502);
    expect(backend.requests).toHaveLength(0);
    // Three WebSocket upgrade attempts (the default transport), then HTTP: all through the proxy, all refused.
    expect(proxy.tunnels.map((t) => t.target)).toEqual(Array(4).fill(backendHostPort()));
  });
});
