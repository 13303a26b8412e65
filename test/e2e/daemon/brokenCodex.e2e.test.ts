import { join } from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls, FAKE_CODEX, isAlive } from '../../helpers/codexTestKit.js';
import { until } from '../../helpers/until.js';
import { startFakeCodexBackend, type FakeCodexBackend } from '../../fakes/codexBackend.js';
import { makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { bridgeClient, makeHome, ok, okJson, type TestHome } from '../../helpers/cli.js';

// A codex that hangs on everything (app-server handshake and requests, the bundled catalogue) must never delay a
// bridge request whose account has a valid token (14.6): the model list comes from what the daemon has at hand,
// the app-server is started off the request's path, killed when stuck, and its failure is remembered.

const CODEX_TIMEOUT_MS = 3000;
let h: TestHome;
let backend: FakeCodexBackend;
let client: Anthropic;
let home = '';

beforeAll(async () => {
  backend = await startFakeCodexBackend();
  h = await makeHome({
    CCBRIDGE_CODEX_BIN: FAKE_CODEX,
    CCBRIDGE_UPSTREAM_URL: backend.url,
    CCBRIDGE_CODEX_TIMEOUT_MS: String(CODEX_TIMEOUT_MS),
    FAKE_CODEX_BEHAVIOR: JSON.stringify({
      hang: ['initialize', 'model/list', 'account/read', 'account/rateLimits/read'],
      debugModels: 'hang',
    }),
  });
  const { id } = (await okJson(h, ['add', 'work'])) as { id: string };
  home = join(h.env.CCBRIDGE_HOME!, 'accounts', id, 'codex-home');
  writeAuthJson(home, makeTokens({ chatgptAccountId: 'acct-work' }));
  await ok(h, ['stop']);
  await ok(h, ['start']);
  client = await bridgeClient(h);
}, 60_000);

afterAll(async () => {
  await h?.cleanup();
  await backend?.close();
});

const timed = async () => {
  const t0 = performance.now();
  const msg = await client.messages.create({
    model: 'ccbridge-sonnet',
    max_tokens: 50,
    messages: [{ role: 'user', content: 'hi' }],
  });
  expect(msg.content[0]).toMatchObject({ type: 'text', text: 'ok' });
  return performance.now() - t0;
};

describe('a hung codex', () => {
  it('does not delay the first request after start, nor the ones after it', async () => {
    // Waiting on codex at all would take the app-server timeout (3 s) or more.
    expect(await timed()).toBeLessThan(1500);
    for (let i = 0; i < 5; i++) expect(await timed()).toBeLessThan(1500);
  });

  it('has its stuck app-server killed after the timeout, and is not retried on every request', async () => {
    await until(() => calls(home, 'spawn').length >= 1, 10_000);
    const [spawned] = calls(home, 'spawn');
    await until(() => !isAlive(spawned!.pid), CODEX_TIMEOUT_MS + 8000);
    for (let i = 0; i < 5; i++) expect(await timed()).toBeLessThan(1500);
    await new Promise((r) => setTimeout(r, 1500)); // past the background read's delay
    expect(calls(home, 'spawn')).toHaveLength(1);
  }, 30_000);
});
