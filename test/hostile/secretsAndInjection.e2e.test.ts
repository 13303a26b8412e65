import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlApi } from '../../src/client/controlApi.js';
import { DaemonClient } from '../../src/client/daemonClient.js';
import { resolvePaths } from '../../src/shared/paths.js';
import { FAKE_CODEX } from '../helpers/codexTestKit.js';
import { frame, sse, startFakeCodexBackend, type FakeCodexBackend } from '../fakes/codexBackend.js';
import { makeTokens, writeAuthJson } from '../fakes/fakeCodexAuth.mjs';
import { makeHome, ok, okJson, run, type TestHome } from '../helpers/cli.js';
import { apiError } from '../helpers/bridgeHarness.js';
import { until } from '../helpers/until.js';

// A hostile upstream against the built daemon: error bodies that echo the account's token back, and text
// full of terminal escapes and forged log lines. Nothing of it may reach the client, the events or daemon.log.

// Opaque on purpose: no JWT, `sk-`, `rt_` or Bearer shape the pattern redaction would catch anyway.
const ACCESS = 'OpaqueAccessValue0123456789abcdefXYZ';
const REFRESH = 'OpaqueRefreshValue0123456789abcdefXYZ';
const ESC = '\u001b';
const FORGED = `\n2099-01-01T00:00:00.000Z error system    FORGED LINE ${ESC}[2J${ESC}]0;pwned\u0007`;

let h: TestHome;
let backend: FakeCodexBackend;
let client: Anthropic;
let bridgeToken = '';

const events = async () => (await new DaemonClient(resolvePaths(h.env)).call(controlApi.events(500))).events;
const daemonLog = () => readFileSync(resolvePaths(h.env).logFile, 'utf8');

beforeAll(async () => {
  backend = await startFakeCodexBackend();
  h = await makeHome({ CCBRIDGE_CODEX_BIN: FAKE_CODEX, CCBRIDGE_UPSTREAM_URL: backend.url });
  bridgeToken = (await ok(h, ['token'])).trim();
  const { id } = (await okJson(h, ['add', 'work'])) as { id: string };
  writeAuthJson(join(h.env.CCBRIDGE_HOME!, 'accounts', id, 'codex-home'), {
    ...makeTokens({ chatgptAccountId: 'acct-work' }),
    access_token: ACCESS,
    refresh_token: REFRESH,
  });
  client = new Anthropic({
    baseURL: `http://127.0.0.1:${h.port}/anthropic`,
    authToken: bridgeToken,
    apiKey: null,
    maxRetries: 0,
  });
});
afterAll(async () => {
  await h.cleanup();
  await backend.close();
});

const ask = (model = 'claude-sonnet-4-5', stream = false) =>
  client.messages.create({ model, max_tokens: 20, stream, messages: [{ role: 'user', content: 'hi' }] } as never);

/** The secrets an echoing upstream saw, minus the `Bearer ` the pattern redaction would catch. */
const echoed = (auth: unknown) => `${String(auth).replace(/^Bearer /, '')} refresh=${REFRESH} bridge=${bridgeToken}`;

describe('no secret reaches a client, an event or the log', () => {
  it('an upstream error body echoing the Authorization header is redacted everywhere', async () => {
    const seen: string[] = [];
    backend.handle((req, res) => {
      seen.push(String(req.headers.authorization));
      if (seen.length === 1) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `bad header: ${echoed(req.headers.authorization)}` } }));
      } else if (seen.length === 2) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`upstream says ${echoed(req.headers.authorization)}`);
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(
          sse
            .failed('server_error', `mid-stream ${echoed(req.headers.authorization)}`)
            .map(frame)
            .join(''),
        );
      }
    });
    const answers = [await apiError(ask()), await apiError(ask())];
    let streamed = '';
    try {
      for await (const ev of (await ask(undefined, true)) as unknown as AsyncIterable<unknown>)
        streamed += JSON.stringify(ev);
    } catch (err) {
      streamed += String((err as Error).message);
    }
    expect(seen[0]).toBe(`Bearer ${ACCESS}`); // the upstream really got the token it echoed
    const clientSaw = JSON.stringify(answers.map((e) => e.error)) + streamed;
    expect(clientSaw).toContain('[redacted]');
    await until(async () => (await events()).filter((e) => e.category === 'proxy').length >= 3, 5000);
    await until(() => daemonLog().includes('proxy'), 5000);
    for (const [where, text] of [
      ['client', clientSaw],
      ['events', JSON.stringify(await events())],
      ['daemon.log', daemonLog()],
    ] as const) {
      for (const secret of [ACCESS, REFRESH, bridgeToken])
        expect(text, `${where} holds a secret`).not.toContain(secret);
    }
  });
});

describe('no forged line or terminal escape reaches the log', () => {
  it('a hostile model string and upstream error text are escaped in events, daemon.log and `ccbridge logs`', async () => {
    backend.handle((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`backend trouble${FORGED}`);
    });
    const before = (await events()).length;
    await apiError(ask(`claude-sonnet-4-5${FORGED}`));
    await until(async () => (await events()).length > before, 5000);
    await until(() => daemonLog().includes('FORGED LINE'), 5000);
    const recent = (await events()).slice(before);
    for (const text of [JSON.stringify(recent.map((e) => e.message)), daemonLog()]) {
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      expect(text).toContain('\\x1b[2J');
    }
    expect(
      daemonLog()
        .split('\n')
        .filter((l) => l.startsWith('2099-')),
    ).toEqual([]);
    const shown = (await run(h, ['logs', '-n', '200'])).stdout;
    expect(shown).toContain('FORGED LINE');
    expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});
