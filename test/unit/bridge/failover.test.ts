import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UpstreamFailure } from '../../../src/translate/upstreamErrors.js';
import { frame, RATE_LIMIT_HEADERS, sse, usageLimitBody, type RecordedRequest } from '../../fakes/codexBackend.js';
import { startBridge, TOKEN, type BridgeHarness } from '../../helpers/bridgeHarness.js';
import { until } from '../../helpers/until.js';

// The failover loop inside the bridge, in process: two candidates, a fake backend answering per account,
// and a short ping interval so "silent upstream" cases run in milliseconds.

const PING_MS = 80;
let h: BridgeHarness;
const failed: Array<{ accountId: string; kind: UpstreamFailure['kind']; next: string | null }> = [];
const committed: Array<{ accountId: string; sessionKey: string | null }> = [];

const account = (r: RecordedRequest) => String(r.headers['chatgpt-account-id']).replace('chatgpt-', '');

type Step = { events: ReturnType<typeof sse.response>; gapMs?: number; status?: number; json?: unknown };

/** Per account: the events to send, with an optional pause after the first one (a silent upstream). */
function answer(by: Record<string, Step>): void {
  h.backend.handle((req, res: ServerResponse) => {
    const s = by[account(req)]!;
    if (s.json !== undefined) {
      res.writeHead(s.status ?? 429, { 'content-type': 'application/json', ...RATE_LIMIT_HEADERS });
      res.end(JSON.stringify(s.json));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', ...RATE_LIMIT_HEADERS });
    res.write(frame(s.events[0]!));
    setTimeout(() => {
      if (!res.destroyed) res.end(s.events.slice(1).map(frame).join(''));
    }, s.gapMs ?? 0);
  });
}

async function post(body: Record<string, unknown> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(`${h.baseUrl}/v1/messages`, {
    method: 'POST',
    signal,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      'x-claude-code-session-id': 'sess-1',
    },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
      ...body,
    }),
  });
}

const eventNames = (text: string) => [...text.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);

beforeAll(async () => {
  h = await startBridge({
    pingIntervalMs: PING_MS,
    hooks: {
      onAttemptFailed: (accountId, f, next) => failed.push({ accountId, kind: f.kind, next }),
      onCommitted: (accountId, sessionKey) => committed.push({ accountId, sessionKey }),
    },
  });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.state.candidates = [
    { accountId: 'a1', accountName: 'alpha', model: null, fastMode: false },
    { accountId: 'b2', accountName: 'beta', model: null, fastMode: false },
  ];
  h.backend.requests.length = 0;
  h.outcomes.length = 0;
  failed.length = 0;
  committed.length = 0;
});

describe('bridge failover', () => {
  it('a 429 before the first byte moves to the next candidate and reports both steps', async () => {
    answer({
      a1: { events: [], json: usageLimitBody(1_900_000_000) },
      b2: { events: sse.response([sse.message('from beta')]) },
    });
    const msg = await h.client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(msg.content).toEqual([{ type: 'text', text: 'from beta', citations: null }]);
    expect(h.backend.requests.map(account)).toEqual(['a1', 'b2']);
    expect(failed).toEqual([{ accountId: 'a1', kind: 'usage_limit', next: 'b2' }]);
    expect(committed).toEqual([{ accountId: 'b2', sessionKey: null }]);
    await until(() => h.outcomes.length === 1);
    expect(h.outcomes[0]).toMatchObject({ accountId: 'b2', status: 200, errorKind: null });
  });

  it('a silent upstream gets 200 and pings, and still fails over until message_start', async () => {
    answer({
      a1: {
        events: [
          sse.failed('x', 'y')[0]!,
          { type: 'response.failed', response: { error: { code: 'server_is_overloaded', message: 'busy' } } },
        ],
        gapMs: PING_MS * 3,
      },
      b2: { events: sse.response([sse.message('late but fine')]) },
    });
    const res = await post();
    expect(res.status).toBe(200);
    const text = await res.text();
    const names = eventNames(text);
    const start = names.indexOf('message_start');
    expect(start).toBeGreaterThanOrEqual(2);
    expect(names.slice(0, start).every((n) => n === 'ping')).toBe(true);
    expect(names.filter((n) => n === 'message_start')).toHaveLength(1);
    expect(names.at(-1)).toBe('message_stop');
    expect(text).toContain('late but fine');
    expect(failed).toEqual([{ accountId: 'a1', kind: 'overloaded', next: 'b2' }]);
    expect(committed).toEqual([{ accountId: 'b2', sessionKey: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
  });

  it('the SDK takes the pings before message_start in its stride', async () => {
    answer({ a1: { events: sse.response([sse.message('slow start')]), gapMs: PING_MS * 3 }, b2: { events: [] } });
    const stream = h.client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(await stream.finalText()).toBe('slow start');
    expect(h.backend.requests.map(account)).toEqual(['a1']);
  });

  it('when the last candidate fails after the pings began, the client gets an SSE error event', async () => {
    const overloaded = [
      sse.failed('x', 'y')[0]!,
      { type: 'response.failed', response: { error: { code: 'server_is_overloaded', message: 'busy' } } },
    ];
    answer({ a1: { events: overloaded, gapMs: PING_MS * 2 }, b2: { events: overloaded, gapMs: PING_MS } });
    const res = await post();
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(eventNames(text)).not.toContain('message_start');
    expect(eventNames(text).at(-1)).toBe('error');
    expect(text).toMatch(/"type":"overloaded_error"/);
    await until(() => h.outcomes.length === 1);
    expect(h.outcomes[0]).toMatchObject({ errorKind: 'overloaded', accountId: 'b2' });
  });

  it('a client that leaves during the pings aborts the upstream attempt', async () => {
    answer({ a1: { events: sse.response([sse.message('never read')]), gapMs: 5000 }, b2: { events: [] } });
    const abort = new AbortController();
    const res = await post({}, abort.signal);
    const reader = res.body!.getReader();
    await reader.read(); // the first ping
    abort.abort();
    await until(() => h.backend.requests[0]?.aborted === true);
    await until(() => h.outcomes.length === 1);
    expect(h.outcomes[0]).toMatchObject({ errorKind: 'client_abort' });
  });

  it('a request error (400) is not retried on another account', async () => {
    answer({
      a1: { events: [], status: 400, json: { error: { message: 'bad', type: 'invalid_request_error' } } },
      b2: { events: [] },
    });
    const res = await post();
    expect(res.status).toBe(400);
    expect(h.backend.requests.map(account)).toEqual(['a1']);
    expect(failed).toEqual([{ accountId: 'a1', kind: 'invalid_request', next: null }]);
  });
});
