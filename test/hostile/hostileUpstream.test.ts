import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { frame, sse } from '../fakes/codexBackend.js';
import { startBridge, TOKEN, type BridgeHarness } from '../helpers/bridgeHarness.js';
import { until } from '../helpers/until.js';

// A hostile or broken upstream against the bridge: hung before its headers, silent after them, a challenge
// page or plain text instead of an event stream, an error body that never ends. Limits shortened to
// milliseconds; two accounts, so a needless failover would show as a second upstream request.

const PING_MS = 50;
const HEADERS_MS = 300;
// Long enough that one limit (≥ 1 s) and two (≥ 2 s) stay apart on a loaded machine.
const IDLE_MS = 1000;
let h: BridgeHarness;

beforeAll(async () => {
  h = await startBridge({ pingIntervalMs: PING_MS, upstreamHeadersMs: HEADERS_MS, upstreamIdleMs: IDLE_MS });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.reset();
  h.state.candidates = [
    { accountId: 'a1', accountName: 'alpha', model: null, fastMode: false },
    { accountId: 'b2', accountName: 'beta', model: null, fastMode: false },
  ];
});

const body = (stream: boolean) =>
  JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 20, stream, messages: [{ role: 'user', content: 'hi' }] });

async function post(stream: boolean): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${h.baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body(stream),
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

const errorOf = (text: string) => (JSON.parse(text) as { error: { type: string; message: string } }).error;
const sseError = (text: string) => {
  const data = /event: error\ndata: (.*)\n/.exec(text)?.[1];
  return data ? (JSON.parse(data) as { error: { type: string; message: string } }).error : null;
};

/** Every request gets the same treatment. */
const answer = (fn: (res: ServerResponse) => void) => h.backend.handle((_req, res) => fn(res));

describe('every wait on the upstream has one bound', () => {
  it('no headers: a timeout_error after the headers limit, not after minutes, and no failover', async () => {
    answer(() => {}); // accepts, reads, never answers
    const plain = await post(false);
    expect(plain.status).toBe(504);
    expect(errorOf(plain.text)).toEqual({
      type: 'timeout_error',
      message: 'the Codex backend sent no response headers for 300 ms',
    });
    expect(plain.ms).toBeLessThan(HEADERS_MS + 2000); // minutes without the bound
    expect(h.backend.requests).toHaveLength(1);

    const streamed = await post(true);
    expect(streamed.status).toBe(200);
    expect(streamed.text).toMatch(/event: ping/);
    expect(sseError(streamed.text)).toMatchObject({ type: 'timeout_error' });
    expect(h.outcomes.map((o) => o.errorKind)).toEqual(['backend', 'backend']);
  });

  it('headers, then silence: one idle limit from the start, not one before and another after the commit', async () => {
    answer((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(frame(sse.response([sse.message('never')])[0]!)); // response.created, then nothing
    });
    const plain = await post(false);
    expect(errorOf(plain.text)).toEqual({
      type: 'timeout_error',
      message: 'the Codex backend sent nothing for 1 s',
    });
    expect(plain.ms).toBeGreaterThanOrEqual(IDLE_MS - 20);
    expect(plain.ms).toBeLessThan(1.9 * IDLE_MS);
    const streamed = await post(true);
    expect(sseError(streamed.text)).toMatchObject({ message: 'the Codex backend sent nothing for 1 s' });
    expect(streamed.ms).toBeLessThan(1.9 * IDLE_MS);
    expect(h.backend.requests).toHaveLength(2);
  });

  it('an error body that never ends is cut at the limit and still answered', async () => {
    answer((res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.write('the backend is slowly telling you ');
    });
    h.state.candidates = h.state.candidates!.slice(0, 1);
    const plain = await post(false);
    expect(plain.status).toBe(500);
    expect(errorOf(plain.text).message).toBe('Codex backend error 500: the backend is slowly telling you');
    expect(plain.ms).toBeLessThan(HEADERS_MS + 2000); // minutes without the bound
  });
});

describe('a 200 that is not an event stream', () => {
  it('an HTML challenge page is named by its title, once, without trying every account', async () => {
    answer((res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>cf challenge</body></html>');
    });
    for (const stream of [false, true]) {
      const r = await post(stream);
      const err = stream && r.status === 200 ? sseError(r.text) : errorOf(r.text);
      expect(err).toEqual({ type: 'api_error', message: 'the Codex backend answered an HTML page: Just a moment...' });
    }
    expect(h.backend.requests).toHaveLength(2); // one per request: no failover storm
    await until(() => h.outcomes.length === 2);
    expect(h.outcomes.map((o) => o.errorKind)).toEqual(['backend', 'backend']);
  });

  it('plain text says what it was', async () => {
    answer((res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('Access denied by corporate proxy policy 42');
    });
    const r = await post(false);
    expect(r.status).toBe(502);
    expect(errorOf(r.text).message).toBe(
      'the Codex backend answered text/plain instead of an event stream: Access denied by corporate proxy policy 42',
    );
    expect(h.backend.requests).toHaveLength(1);
  });
});
