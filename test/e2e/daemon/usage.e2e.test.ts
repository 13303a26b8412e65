import { readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CODEX } from '../../helpers/codexTestKit.js';
import {
  frame,
  RATE_LIMIT_HEADERS,
  sse,
  startFakeCodexBackend,
  usageLimitBody,
  type FakeCodexBackend,
} from '../../fakes/codexBackend.js';
import { makeTokens } from '../../fakes/fakeCodexAuth.mjs';
import { bridgeClient, makeHome, middayZone, ok, okJson, signIn, type TestHome } from '../../helpers/cli.js';

// The usage history through the built daemon: what the fake backend reports per response is what
// `ccbridge usage` adds up, and it survives a kill -9 of the daemon (written within seconds, atomically).

let h: TestHome;
let backend: FakeCodexBackend;
const ids = { alpha: '', beta: '' };
const USAGE = {
  alpha: {
    input_tokens: 1000,
    input_tokens_details: { cached_tokens: 600 },
    output_tokens: 50,
    output_tokens_details: { reasoning_tokens: 10 },
    total_tokens: 1050,
  },
  beta: {
    input_tokens: 300,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 7,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 307,
  },
};

beforeAll(async () => {
  backend = await startFakeCodexBackend();
  // Per-day records: a local noon keeps the test's requests on one date.
  h = await makeHome({ CCBRIDGE_CODEX_BIN: FAKE_CODEX, CCBRIDGE_UPSTREAM_URL: backend.url, TZ: middayZone() });
  for (const name of ['alpha', 'beta'] as const) {
    ids[name] = ((await okJson(h, ['add', name])) as { id: string }).id;
    await signIn(h, ids[name], makeTokens({ chatgptAccountId: `acct-${name}`, email: `${name}@example.com` }));
  }
});

afterAll(async () => {
  await h.cleanup();
  await backend.close();
});

describe('usage history', () => {
  it('adds up the tokens the backend reported, per account, and keeps them across a kill -9', async () => {
    let alphaRefuses = false;
    backend.handle((req, res: ServerResponse) => {
      const who = req.headers['chatgpt-account-id'] === 'acct-alpha' ? 'alpha' : 'beta';
      if (who === 'alpha' && alphaRefuses) {
        res.writeHead(429, { 'content-type': 'application/json', ...RATE_LIMIT_HEADERS });
        return void res.end(JSON.stringify(usageLimitBody(Math.floor(Date.now() / 1000) + 3600)));
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', ...RATE_LIMIT_HEADERS });
      for (const ev of sse.response([sse.message('hi')], { usage: USAGE[who] })) res.write(frame(ev));
      res.end();
    });
    const client = await bridgeClient(h);
    const ask = () =>
      client.messages.create({ model: 'ccbridge-sonnet', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    await ask();
    await ask();
    alphaRefuses = true;
    await ask(); // alpha refuses, beta serves: a failover away from alpha

    const expected = {
      days: [
        {
          date: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
          accounts: [
            {
              id: ids.alpha,
              name: 'alpha',
              requests: 2,
              inputTokens: 2000,
              cachedInputTokens: 1200,
              outputTokens: 100,
              reasoningTokens: 20,
              errors: 0,
            },
            {
              id: ids.beta,
              name: 'beta',
              requests: 1,
              inputTokens: 300,
              cachedInputTokens: 0,
              outputTokens: 7,
              reasoningTokens: 0,
              errors: 0,
            },
          ],
        },
      ],
    };
    expect(await okJson(h, ['usage', '--json'])).toEqual(expected);
    const table = await ok(h, ['usage']);
    for (const line of table.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(table).toMatch(/alpha +2 +2k +1\.2k +60% +100 +20 +0 +1\n/);
    expect(await okJson(h, ['usage', 'beta', '--json', '--days', '1'])).toEqual({
      days: [{ date: expected.days[0]!.date, accounts: [expected.days[0]!.accounts[1]] }],
    });

    // Batched writes land within seconds; a kill -9 after that loses nothing.
    const file = join(h.env.CCBRIDGE_HOME!, 'usage.json');
    await new Promise((r) => setTimeout(r, 2600));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const pid = Number(readFileSync(join(h.env.CCBRIDGE_HOME!, 'run', 'daemon.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    expect(await okJson(h, ['usage', '--json'])).toEqual(expected);
  }, 30_000);
});
