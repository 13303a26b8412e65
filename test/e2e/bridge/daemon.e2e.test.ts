import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlApi } from '../../../src/client/controlApi.js';
import { DaemonClient } from '../../../src/client/daemonClient.js';
import { resolvePaths } from '../../../src/shared/paths.js';
import { FAKE_CODEX } from '../../helpers/codexTestKit.js';
import { sse, startFakeCodexBackend, type FakeCodexBackend } from '../../fakes/codexBackend.js';
import { makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { bridgeClient, makeHome, okJson, type TestHome } from '../../helpers/cli.js';
import { apiError } from '../../helpers/bridgeHarness.js';

// The bridge inside the built daemon (dist/ccbridge.mjs): fake codex as control plane, the fake Codex backend
// upstream, the official SDK as client. What the in-process tests cannot see: the daemon's own deps (routing,
// the token keeper reading auth.json) and the one `proxy` event each request leaves in the log.

let h: TestHome;
let backend: FakeCodexBackend;
let client: Anthropic;
let accountId = '';

const SECRET_PROMPT = 'prompt-text-that-must-never-be-logged';
const SECRET_ANSWER = 'answer-text-that-must-never-be-logged';

const events = async () => (await new DaemonClient(resolvePaths(h.env)).call(controlApi.events(200))).events;
const proxyEvents = async () =>
  (await events()).filter((e) => e.category === 'proxy' && (e.data as { requestId?: string } | undefined)?.requestId);
const ask = (content = SECRET_PROMPT) =>
  client.messages.create({ model: 'ccbridge-sonnet', max_tokens: 100, messages: [{ role: 'user', content }] });

beforeAll(async () => {
  backend = await startFakeCodexBackend();
  h = await makeHome({ CCBRIDGE_CODEX_BIN: FAKE_CODEX, CCBRIDGE_UPSTREAM_URL: backend.url });
  client = await bridgeClient(h);
});

afterAll(async () => {
  await h.cleanup();
  await backend.close();
});

describe('the bridge in the built daemon', () => {
  it('without a usable account: a 401 naming the fix, and nothing sent upstream', async () => {
    const none = await apiError(ask());
    expect(none.status).toBe(401);
    expect(none.message).toMatch(/ccbridge add .*ccbridge connect/);

    accountId = ((await okJson(h, ['add', 'work'])) as { id: string }).id;
    const notConnected = await apiError(ask());
    expect(notConnected.status).toBe(401);
    expect(notConnected.error).toMatchObject({
      error: { type: 'authentication_error', message: expect.stringContaining('Run `ccbridge connect work`') },
    });
    expect(backend.requests).toHaveLength(0);

    writeAuthJson(
      join(h.env.CCBRIDGE_HOME!, 'accounts', accountId, 'codex-home'),
      makeTokens({ chatgptAccountId: 'acct-work' }),
    );
  });

  it('serves a request with the account’s token and logs exactly one proxy event for it, without content', async () => {
    const before = (await proxyEvents()).length;
    backend.script({
      kind: 'sse',
      events: sse.response([sse.message(SECRET_ANSWER)], {
        usage: { input_tokens: 120, input_tokens_details: { cached_tokens: 20 }, output_tokens: 7 },
      }),
    });
    const msg = await ask();
    expect(msg.content[0]).toMatchObject({ type: 'text', text: SECRET_ANSWER });
    expect(msg.usage).toMatchObject({ input_tokens: 100, cache_read_input_tokens: 20, output_tokens: 7 });
    expect(backend.requests[0]!.headers['chatgpt-account-id']).toBe('acct-work');
    // The account's codex installation id, as codex keeps it in its home.
    const idFile = join(h.env.CCBRIDGE_HOME!, 'accounts', accountId, 'codex-home', 'installation_id');
    const installationId = readFileSync(idFile, 'utf8');
    expect(installationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      (backend.requests[0]!.body as { client_metadata: Record<string, string> }).client_metadata[
        'x-codex-installation-id'
      ],
    ).toBe(installationId);

    const after = await proxyEvents();
    expect(after).toHaveLength(before + 1);
    const event = after.at(-1)!;
    expect(event).toMatchObject({
      level: 'info',
      data: { status: 200, model: 'gpt-5.5', inputTokens: 120, cachedTokens: 20, outputTokens: 7, errorKind: null },
    });
    expect(event.message).toMatch(/^work: ccbridge-sonnet → gpt-5\.5 200 \(120 in, 7 out, \d+ ms\)$/);
    const log = JSON.stringify(await events());
    expect(log).not.toContain(SECRET_PROMPT);
    expect(log).not.toContain(SECRET_ANSWER);
  });

  it('an upstream 401 has codex refresh the token once; the retry carries the new token', async () => {
    backend.requests.length = 0;
    backend.script(
      { kind: 'json', status: 401, body: { detail: 'token expired' } },
      { kind: 'sse', events: sse.response([sse.message('fresh')]) },
    );
    expect((await ask('hi')).content[0]).toMatchObject({ text: 'fresh' });
    const [rejected, retried] = backend.requests.map((r) => r.headers.authorization);
    expect(rejected).toMatch(/^Bearer ./);
    expect(retried).toMatch(/^Bearer ./);
    expect(retried).not.toBe(rejected);
    const calls = readFileSync(
      join(h.env.CCBRIDGE_HOME!, 'accounts', accountId, 'codex-home', 'fake-codex-calls.jsonl'),
      'utf8',
    );
    expect(calls.split('\n').filter((l) => l.includes('"event":"refresh"'))).toHaveLength(1);
  });
});
