import Anthropic, { RateLimitError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBridgeApp } from '../../../src/daemon/bridge/createBridgeApp.js';
import { CcbridgeError } from '../../../src/shared/errors.js';
import { sse, usageLimitBody } from '../../fakes/codexBackend.js';
import {
  apiError,
  DEFAULT_CANDIDATE,
  HOST,
  startBridge,
  TOKEN,
  type BridgeHarness,
} from '../../helpers/bridgeHarness.js';
import { until } from '../../helpers/until.js';

// Auth, the small routes and every error path, through a real HTTP server and the official SDK.

let h: BridgeHarness;
beforeAll(async () => {
  h = await startBridge();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.reset());

const base = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user' as const, content: 'hi' }] };
const post = (path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
  fetch(`${h.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('auth and unauthenticated routes', () => {
  it('accepts Bearer or x-api-key, rejects anything else with an Anthropic 401', async () => {
    h.backend.fallback = { kind: 'sse', events: sse.response([sse.message('ok')]) };
    expect((await post('/anthropic/v1/messages', base)).status).toBe(200);
    expect((await post('/v1/messages', base, { 'x-api-key': TOKEN })).status).toBe(200);
    const rejected: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { 'x-api-key': `${TOKEN}x` },
      { 'x-api-key': TOKEN.slice(0, -1) },
      // Its byte length, not its content: é is two bytes in UTF-8.
      { 'x-api-key': `${TOKEN.slice(0, -2)}é` },
      { authorization: TOKEN },
    ];
    for (const headers of rejected) {
      const res = await post('/anthropic/v1/messages', base, headers);
      expect(res.status).toBe(401);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual({
        type: 'error',
        error: { type: 'authentication_error', message: expect.stringContaining('ccbridge token') },
        request_id: res.headers.get('request-id'),
      });
    }
    const viaSdk = await apiError(
      new Anthropic({ baseURL: h.baseUrl, apiKey: 'nope', maxRetries: 0 }).messages.create(base),
    );
    expect(viaSdk.status).toBe(401);
    expect(h.backend.requests).toHaveLength(2);
  });

  it('GET /health and HEAD /api/hello answer without a token; unknown routes are Anthropic 404s', async () => {
    const health = await fetch(`${h.origin}/health`);
    expect((await health.json()) as unknown).toEqual({
      ok: true,
      service: 'ccbridge',
      version: '0.1.0-test',
      codexVersion: '0.169.0',
      activeAccount: 'work',
    });
    for (const path of ['/api/hello', '/anthropic/api/hello'])
      expect((await fetch(`${h.origin}${path}`, { method: 'HEAD' })).status).toBe(200);
    const missing = await fetch(`${h.origin}/anthropic/v1/nothing`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { type: string } }).error.type).toBe('not_found_error');
  });

  it('serves the routes in-process too (app.request), streaming included', async () => {
    h.backend.script({ kind: 'sse', events: sse.response([sse.message('in-process')]) });
    const app = createBridgeApp(
      {
        version: 'x',
        token: () => TOKEN,
        upstreamUrl: h.backend.url,
        codexVersion: () => '0.169.0',
        health: () => ({}),
        installationId: () => 'install-x',
        route: () => ({ kind: 'route', candidates: [DEFAULT_CANDIDATE] }),
        credentials: async () => ({ accessToken: 'a', chatgptAccountId: null }),
        models: () => null,
        settings: () => h.state.settings,
        onUpstreamHeaders: () => {},
        onOutcome: () => {},
      },
      { hostInfo: HOST },
    );
    const res = await app.request('/v1/messages', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ ...base, stream: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(await res.text()).toContain('"text":"in-process"');
  });

  it('Messages requests are served by their Node listener, the same way; everything else by the hono app', async () => {
    h.backend.fallback = { kind: 'sse', events: sse.response([sse.message('ok')]) };
    h.appRequests.length = 0;
    for (const path of ['/anthropic/v1/messages?beta=true', '/v1/messages']) {
      const streamed = await post(path, { ...base, stream: true });
      expect(streamed.status).toBe(200);
      expect(streamed.headers.get('request-id')).toMatch(/^req_/);
      expect(await streamed.text()).toContain('event: message_stop');
      const whole = await post(path, base);
      expect(whole.status).toBe(200);
      expect(whole.headers.get('request-id')).toMatch(/^req_/);
      expect(((await whole.json()) as { content: unknown }).content).toEqual([
        { type: 'text', text: 'ok', citations: null },
      ]);
      const refused = await post(path, base, { authorization: 'Bearer wrong' });
      expect(refused.status).toBe(401);
      const body = (await refused.json()) as { request_id: string };
      expect(body.request_id).toBe(refused.headers.get('request-id'));
      const invalid = await post(path, { ...base, max_tokens: 'many' });
      expect(invalid.status).toBe(400);
      expect(invalid.headers.get('request-id')).toMatch(/^req_/);
      await invalid.text();
    }
    expect(h.appRequests).toEqual([]);
    expect((await fetch(`${h.origin}/health`)).status).toBe(200);
    await post('/v1/messages/count_tokens', base).then((r) => r.text());
    expect(h.appRequests).toEqual([
      { method: 'GET', path: '/health' },
      { method: 'POST', path: '/v1/messages/count_tokens' },
    ]);
  });

  it('a configured CORS origin gets its headers on every answer, streamed or not; no other origin does', async () => {
    const origin = 'http://app.example';
    h.state.settings = { ...h.state.settings, corsOrigin: origin };
    try {
      h.backend.fallback = { kind: 'sse', events: sse.response([sse.message('ok')]) };
      const preflight = await fetch(`${h.origin}/anthropic/v1/messages`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
      for (const stream of [false, true]) {
        const res = await post(
          '/anthropic/v1/messages',
          { ...base, stream },
          { authorization: `Bearer ${TOKEN}`, origin },
        );
        expect(res.status).toBe(200);
        expect(res.headers.get('access-control-allow-origin')).toBe(origin);
        expect(res.headers.get('request-id')).toMatch(/^req_/);
        await res.text();
      }
      const refused = await post(
        '/anthropic/v1/messages',
        { ...base, stream: true },
        {
          authorization: `Bearer ${TOKEN}`,
          origin: 'http://evil.example',
        },
      );
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      expect(refused.headers.get('request-id')).toMatch(/^req_/);
      await refused.text();
    } finally {
      h.state.settings = { ...h.state.settings, corsOrigin: null };
    }
  });
});

describe('models and count_tokens', () => {
  it('lists the aliases and the account models (its list, else the built-in catalog) with pagination', async () => {
    const all = [];
    for await (const m of h.client.models.list({ limit: 3 })) all.push(m.id);
    expect(all).toEqual([
      'ccbridge-opus',
      'ccbridge-sonnet',
      'ccbridge-haiku',
      'gpt-5.5',
      'gpt-5.4',
      'gpt-5.4-mini',
      'gpt-5.3-codex',
      'gpt-5.2',
    ]);
    h.state.models = [{ id: 'gpt-6-sol', displayName: 'GPT-6 Sol', isDefault: true }];
    const page: any = await (
      await fetch(`${h.baseUrl}/v1/models?limit=2&after_id=ccbridge-sonnet`, { headers: { 'x-api-key': TOKEN } })
    ).json();
    expect(page).toMatchObject({ has_more: false, first_id: 'ccbridge-haiku', last_id: 'gpt-6-sol' });
    expect(page.data[0].display_name).toBe('ccbridge haiku → gpt-6-sol');
    expect(await h.client.models.retrieve('gpt-6-sol')).toMatchObject({
      id: 'gpt-6-sol',
      type: 'model',
      display_name: 'GPT-6 Sol',
    });
    expect((await apiError(h.client.models.retrieve('nope'))).status).toBe(404);
    expect((await fetch(`${h.baseUrl}/v1/models?limit=5000`, { headers: { 'x-api-key': TOKEN } })).status).toBe(400);
  });

  it('counts tokens with o200k over the translated request, even without a usable account', async () => {
    const small = await h.client.messages.countTokens({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const bigger = await h.client.messages.countTokens({
      model: 'claude-sonnet-4-5',
      system: 'You are a careful assistant who counts.',
      tools: [
        {
          name: 'Read',
          description: 'Read a file',
          input_schema: { type: 'object', properties: { path: { type: 'string' } } },
        },
      ],
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(small.input_tokens).toBeGreaterThan(0);
    expect(bigger.input_tokens).toBeGreaterThan(small.input_tokens + 10);
    h.state.candidates = null;
    const noAccount = await post('/v1/messages/count_tokens?beta=true', {
      model: 'x',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect((await noAccount.json()) as unknown).toEqual({ input_tokens: small.input_tokens });
    expect(h.backend.requests).toHaveLength(0);
  });
});

describe('error paths', () => {
  it('a bad body is a 400 naming the field; bad JSON too', async () => {
    const res = await post('/anthropic/v1/messages', {
      model: 'm',
      max_tokens: 5,
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64' } }] }],
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: unknown }).error).toEqual({
      type: 'invalid_request_error',
      message: 'messages.0.content.0.source.media_type: expected string',
    });
    const bad = await post('/anthropic/v1/messages', '{"model":');
    expect(bad.status).toBe(400);
    await until(() => h.outcomes.length === 2);
    expect(h.outcomes.map((o) => o.errorKind)).toEqual(['bad_request', 'bad_request']);
  });

  it('a body over 32 MB is a 413', async () => {
    const big = JSON.stringify({ ...base, messages: [{ role: 'user', content: 'x'.repeat(33 * 1024 * 1024) }] });
    const res = await post('/anthropic/v1/messages', big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('request_too_large');
    expect(h.backend.requests).toHaveLength(0);
  });

  it('no usable account, or one not logged in: a 4xx (not retried) naming the fix', async () => {
    h.state.candidates = null;
    const err = await apiError(h.client.messages.create(base));
    expect(err.status).toBe(401);
    expect(err.error).toMatchObject({ error: { type: 'authentication_error' } });
    expect(err.message).toContain('ccbridge connect');
    expect(h.outcomes).toMatchObject([{ status: 401, errorKind: 'no_account' }]);

    h.state.candidates = [DEFAULT_CANDIDATE];
    h.state.credentialsError = new CcbridgeError(
      'not_connected',
      'Account "work" is not connected: it has no ChatGPT login. Run `ccbridge connect work`.',
      { status: 401 },
    );
    const notConnected = await post('/anthropic/v1/messages', { ...base, stream: true });
    expect(notConnected.status).toBe(401);
    expect((await notConnected.json()) as unknown).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: expect.stringContaining('ccbridge connect work') },
      request_id: notConnected.headers.get('request-id'),
    });
    expect(h.backend.requests).toHaveLength(0);
  });

  it('an upstream 401 refreshes the token once and retries; a second 401 is the client’s 401', async () => {
    h.backend.script(
      { kind: 'json', status: 401, body: { detail: 'token expired' } },
      { kind: 'sse', events: sse.response([sse.message('fresh')]) },
    );
    const msg = await h.client.messages.create(base);
    expect(msg.content[0]).toMatchObject({ text: 'fresh' });
    expect(h.credentialCalls).toEqual([
      { accountId: 'acct1', forceRefresh: false },
      { accountId: 'acct1', forceRefresh: true, rejectedAccessToken: 'access-acct1-0' },
    ]);
    expect(h.backend.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer access-acct1-0',
      'Bearer access-acct1-1',
    ]);

    h.backend.script(
      { kind: 'json', status: 401, body: { detail: 'no' } },
      { kind: 'json', status: 401, body: { detail: 'no' } },
    );
    const err = await apiError(h.client.messages.create(base));
    expect(err.status).toBe(401);
    expect(err.message).toContain('ccbridge connect work');
  });

  it('429 usage_limit_reached → 429 rate_limit_error with retry-after from resets_at', async () => {
    const resetsAt = Math.floor(Date.now() / 1000) + 1800;
    h.backend.script({ kind: 'json', status: 429, body: usageLimitBody(resetsAt) });
    const err = await apiError(h.client.messages.create(base));
    expect(err).toBeInstanceOf(RateLimitError);
    expect(Number(err.headers?.get('retry-after'))).toBeGreaterThan(1790);
    expect(err.headers?.get('x-should-retry')).toBe('false');
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    await until(() => h.outcomes.length === 1);
    expect(h.outcomes[0]).toMatchObject({ status: 429, errorKind: 'usage_limit' });
  });

  it('context too long → 400 "prompt is too long: N tokens > M maximum"', async () => {
    h.backend.script({
      kind: 'sse',
      events: sse.failed('context_length_exceeded', 'Your input exceeds the context window of this model.'),
    });
    const err = await apiError(h.client.messages.create(base));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/prompt is too long: \d+ tokens > 272000 maximum/);
  });

  it('5xx and overload map to 500 api_error and 529 overloaded_error, streaming or not', async () => {
    h.backend.script({ kind: 'json', status: 500, body: { error: { message: 'oops' } } });
    expect((await apiError(h.client.messages.create(base))).status).toBe(500);
    h.backend.script({ kind: 'json', status: 503, body: { error: { code: 'server_is_overloaded', message: 'busy' } } });
    const overloaded = await post('/anthropic/v1/messages', { ...base, stream: true });
    expect(overloaded.status).toBe(529);
    expect(((await overloaded.json()) as { error: { type: string } }).error.type).toBe('overloaded_error');
    h.backend.script({ kind: 'sse', events: sse.failed('server_is_overloaded', 'busy') });
    expect((await apiError(h.client.messages.create(base))).status).toBe(529);
  });

  it('an unreachable upstream is a 5xx, not a hang', async () => {
    const saved = h.backend.url;
    await h.backend.close();
    try {
      const err = await apiError(h.client.messages.create(base));
      expect(err.status).toBe(502);
      expect(err.message).toContain('cannot reach the Codex backend');
    } finally {
      expect(saved).toBe(h.backend.url);
    }
  });
});
