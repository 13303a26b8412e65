import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../src/daemon/bridge/middleware/loopbackHostOnly.js';
import { nestsDeeperThan } from '../../src/translate/jsonNesting.js';
import { sse } from '../fakes/codexBackend.js';
import { startBridge, TOKEN, type BridgeHarness } from '../helpers/bridgeHarness.js';

// A hostile local client or browser against the bridge: rebinding Host names, absurd nesting, oversized bodies.

let h: BridgeHarness;
beforeAll(async () => {
  h = await startBridge();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.reset());

/** A raw request: fetch would not let the test choose the Host header. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const url = new URL(h.origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const base = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

describe('DNS rebinding: only loopback Host names', () => {
  it('answers 421 with no data to a foreign Host on every route, token or not', async () => {
    h.backend.fallback = { kind: 'sse', events: sse.response([sse.message('secret reply')]) };
    for (const [method, path, body] of [
      ['GET', '/health'],
      ['HEAD', '/api/hello'],
      ['GET', '/anthropic/api/hello'],
      ['GET', '/v1/models'],
      ['POST', '/anthropic/v1/messages', JSON.stringify(base)],
      ['POST', '/v1/messages/count_tokens', JSON.stringify(base)],
      ['GET', '/nowhere'],
    ] as const) {
      for (const host of ['evil.example', 'evil.example:80', '127.0.0.1.evil.example', 'localhost.evil.example']) {
        const res = await raw(method, path, { ...auth, host }, body);
        expect(res.status, `${method} ${path} Host: ${host}`).toBe(421);
        expect(res.text).not.toMatch(/0\.1\.0-test|0\.169|work|secret reply/);
      }
    }
    expect(h.backend.requests).toHaveLength(0);
  });

  it('serves localhost, 127.x, [::1] and the configured host, with or without a port', async () => {
    const port = new URL(h.origin).port;
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      'LOCALHOST',
      `[::1]:${port}`,
      '127.1.2.3',
      'localhost.',
    ]) {
      const res = await raw('GET', '/health', { host });
      expect(res.status, host).toBe(200);
      expect(res.headers['request-id']).toMatch(/^req_/);
    }
    expect(isLoopbackHost('bridge.internal:9000', 'bridge.internal')).toBe(true);
    expect(isLoopbackHost('[::1]', '127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::2]:9000', '127.0.0.1')).toBe(false);
    expect(isLoopbackHost('[fe80::1]:9000', 'fe80::1')).toBe(true);
    expect(isLoopbackHost('[fe80::2]:9000', 'fe80::1')).toBe(false);
    expect(isLoopbackHost('128.0.0.1', '127.0.0.1')).toBe(false);
  });
});

describe('absurd bodies', () => {
  it('JSON nested 100k levels deep is a 400, never a 500 or a crash', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const deepInSchema = JSON.stringify({
      ...base,
      tools: [
        {
          name: 't',
          input_schema: { type: 'object', properties: { x: JSON.parse('{"a":'.repeat(300) + '1' + '}'.repeat(300)) } },
        },
      ],
    });
    for (const path of ['/v1/messages', '/v1/messages/count_tokens']) {
      for (const body of [deep, `{"model":"x","messages":${deep}}`, deepInSchema]) {
        const res = await raw('POST', path, auth, body);
        expect(res.status, path).toBe(400);
        expect(JSON.parse(res.text)).toMatchObject({
          type: 'error',
          error: { type: 'invalid_request_error', message: expect.stringContaining('nests deeper than') },
        });
      }
    }
    expect(h.outcomes.map((o) => o.errorKind)).toEqual(['bad_request', 'bad_request', 'bad_request']);
    // Brackets inside strings are text, not nesting.
    expect(nestsDeeperThan(JSON.stringify({ s: '['.repeat(1000), t: '\\"[[[' }), 3)).toBe(false);
    expect(nestsDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('[[[]]]', 3)).toBe(false);
    // Escapes: an escaped backslash closes the string, an escaped quote does not.
    expect(nestsDeeperThan('["\\\\",[[[1]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('["\\"[[[[",1]', 1)).toBe(false);
  });

  it('a body over the cap is a 413 in Anthropic error JSON, declared or streamed', async () => {
    const declared = await raw('POST', '/v1/messages', { ...auth, 'content-length': String(40 * 1024 * 1024) });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text)).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    const big = JSON.stringify({ ...base, messages: [{ role: 'user', content: 'x'.repeat(33 * 1024 * 1024) }] });
    const streamed = await fetch(`${h.origin}/v1/messages`, {
      method: 'POST',
      headers: auth,
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { message: string } }).error.message).toMatch(
      /exceeds the 32 MB limit/,
    );
    expect(h.backend.requests).toHaveLength(0);
  });
});
