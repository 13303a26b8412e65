import { encodeRequestBodySync } from '../../../src/translate/encodeRequestBody.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpenResult } from '../../../src/daemon/bridge/awaitFirstOutput.js';
import { Cancellation } from '../../../src/daemon/bridge/cancellation.js';
import { HttpResponsesTransport } from '../../../src/daemon/bridge/httpResponsesTransport.js';
import type { ResponsesCall } from '../../../src/daemon/bridge/responsesClient.js';
import { MAX_SOCKET_AGE_MS } from '../../../src/daemon/bridge/responsesSocket.js';
import { createUpstreamTransport } from '../../../src/daemon/bridge/upstreamTransport.js';
import { WsResponsesTransport, type WsTransportOptions } from '../../../src/daemon/bridge/wsResponsesTransport.js';
import type { ResponsesRequest } from '../../../src/translate/responsesSchema.js';
import { type FakeCodexBackend, startFakeCodexBackend } from '../../fakes/codexBackend.js';
import { until } from '../../helpers/until.js';

// The WebSocket transport's connection lifecycle, driven directly: idle close, renewal before the backend's
// 60-minute limit, the frame-size limit and a graceful stop.

let backend: FakeCodexBackend;
const open: WsResponsesTransport[] = [];

beforeAll(async () => {
  backend = await startFakeCodexBackend();
  backend.websocket = 'accept';
});
afterEach(() => {
  for (const t of open.splice(0)) t.close();
  backend.requests.length = 0;
  backend.frames.length = 0;
  backend.upgrades.length = 0;
});
afterAll(async () => {
  await backend.close();
});

function transport(opts: WsTransportOptions = {}): WsResponsesTransport {
  const url = new URL(`${backend.url}/responses`);
  const network = createUpstreamTransport(url, {}, () => {});
  const t = new WsResponsesTransport(url, network, new HttpResponsesTransport(url, network), () => 'auto', opts);
  open.push(t);
  return t;
}

const BODY = {
  model: 'gpt-5.5',
  stream: true,
  input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
  tools: [],
  tool_choice: 'auto',
  parallel_tool_calls: true,
  reasoning: { effort: 'medium' },
  store: false,
  include: ['reasoning.encrypted_content'],
  prompt_cache_key: 'thread-1',
  client_metadata: {},
} as unknown as ResponsesRequest;

function call(body: ResponsesCall['body'] = BODY, headersTimeoutMs = 5000): ResponsesCall {
  return {
    accountId: 'acct1',
    sessionless: false,
    headers: () => ({ authorization: 'Bearer t', 'thread-id': 'thread-1', 'session-id': 'thread-1' }),
    body,
    cancel: new Cancellation(),
    headersTimeoutMs,
    idleLimitMs: 5000,
    failure: { now: Date.now(), accountName: 'work', model: 'gpt-5.5', contextWindow: 272_000, promptTokens: () => 0 },
    onHeaders: () => {},
  };
}

/** One request to its end, as the bridge reads it. */
async function ask(t: WsResponsesTransport, c = call()): Promise<void> {
  const opened: OpenResult = await t.open(c, c.headers({ accessToken: 't', chatgptAccountId: null }));
  if (!opened.ok) throw new Error(opened.failure.error.message);
  await new Promise<void>((resolve) =>
    opened.rest.consume(
      () => {},
      () => resolve(),
    ),
  );
  opened.rest.release();
}

describe('WebSocket connection lifecycle', () => {
  it('an idle connection is closed after the idle time', async () => {
    const t = transport({ idleMs: 100 });
    await ask(t);
    expect(backend.openSockets()).toBeGreaterThan(0);
    const index = backend.frames[0]!.connection;
    await until(() => backend.closedSockets.includes(index), 2000);
  });

  it('a connection near the 60-minute limit is not reused: the next turn opens a new one with the full input', async () => {
    let skew = 0;
    const t = transport({ now: () => Date.now() + skew });
    await ask(t);
    skew = MAX_SOCKET_AGE_MS + 1000;
    await ask(t, call({ ...BODY, input: [...BODY.input, ...BODY.input] } as ResponsesRequest));
    expect(backend.upgrades).toHaveLength(2);
    expect(backend.frames[1]!.connection).not.toBe(backend.frames[0]!.connection);
    expect(backend.frames[1]!.frame.previous_response_id).toBeUndefined();
    await until(() => backend.closedSockets.includes(backend.frames[0]!.connection));
  });

  it('a connection idle past the idle time by the wall clock (the machine slept through the timer) is not reused', async () => {
    let skew = 0;
    const t = transport({ now: () => Date.now() + skew }); // the idle time: 10 minutes
    const longer = (n: number) => call({ ...BODY, input: Array(n).fill(BODY.input[0]) } as ResponsesRequest);
    await ask(t);
    skew = 9 * 60_000;
    await ask(t, longer(2));
    expect(backend.frames[1]!.connection).toBe(backend.frames[0]!.connection); // within the idle time: reused
    skew += 10 * 60_000 + 1000;
    await ask(t, longer(3));
    expect(backend.upgrades).toHaveLength(2);
    expect(backend.frames[2]!.connection).not.toBe(backend.frames[0]!.connection);
    expect(backend.frames[2]!.frame.previous_response_id).toBeUndefined();
    await until(() => backend.closedSockets.includes(backend.frames[0]!.connection));
  });

  it('a frame at the size limit goes over HTTP instead', async () => {
    const t = transport({ maxFrameBytes: 2000 });
    const big = {
      ...BODY,
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x'.repeat(3000) }] }],
    };
    await ask(t, call(big as ResponsesRequest));
    expect(backend.frames).toHaveLength(0);
    expect(backend.requests.map((r) => r.method)).toEqual(['POST']);
  });

  it('a body already encoded off the event loop (a large request) goes over HTTP, sent as it is', async () => {
    const t = transport();
    const encoded = encodeRequestBodySync(JSON.stringify(BODY), null);
    await ask(t, call(encoded));
    expect(backend.upgrades).toHaveLength(0);
    expect(backend.requests.map((r) => r.method)).toEqual(['POST']);
    expect(backend.requests[0]!.body).toEqual(BODY);
  });

  it('a graceful stop closes free connections and sends later requests over HTTP', async () => {
    const t = transport();
    await ask(t);
    const index = backend.frames[0]!.connection;
    t.close();
    await until(() => backend.closedSockets.includes(index));
    await ask(t);
    expect(backend.requests.map((r) => r.method)).toEqual(['WS', 'POST']);
  });

  it('a response that sends nothing within the headers limit is a timeout, and its connection goes', async () => {
    const started = Date.now();
    const t = transport();
    backend.script({ kind: 'hang' });
    const c = call(BODY, 200);
    const opened = await t.open(c, c.headers({ accessToken: 't', chatgptAccountId: null }));
    expect(opened.ok).toBe(false);
    expect(!opened.ok && opened.failure.error.errorType).toBe('timeout_error');
    // At the headers limit (200 ms), not at the 5 s idle limit.
    expect(Date.now() - started).toBeLessThan(2500);
    expect(backend.frames).toHaveLength(1);
    await until(() => backend.closedSockets.includes(backend.frames[0]!.connection));
  });
});
