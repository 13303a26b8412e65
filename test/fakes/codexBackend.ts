import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import zlib from 'node:zlib';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { UpstreamEvent, UpstreamItem, UpstreamUsage } from '../../src/translate/upstreamEvents.js';
import { backendRefusal } from './codexBackendRules.js';
import { compressOnLoop } from '../../src/daemon/bridge/wsCompression.js';

/**
 * A faithful fake of `POST {chatgpt}/backend-api/codex/responses`: real SSE framing (`event:` + `data:` with
 * `type` and `sequence_number`, codex.md §10), x-codex-* rate-limit headers (§8), the 429
 * `usage_limit_reached` body (§9), `response.failed` codes, mid-stream death and a slow first byte.
 * Scriptable per test (a queue of responses or a handler) and recording every request it received.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Header names in wire order. */
  headerOrder: string[];
  /** Parsed JSON body (the raw text when it is not JSON), decompressed when it came zstd-encoded. */
  body: any;
  /** Body bytes as they came over the wire (compressed, if encoded). */
  wireBytes: number;
  /** True when the client went away before the response finished. */
  aborted: boolean;
}

export type Scripted =
  | {
      kind: 'sse';
      events: UpstreamEvent[];
      headers?: Record<string, string>;
      /** Delay before the status line (slow first byte). */
      firstByteDelayMs?: number;
      /** Delay between events. */
      eventDelayMs?: number;
      /** Destroy the socket after this many events (mid-stream death; the events get out first). */
      dieAfterEvents?: number;
      /** Events per socket write (default: all at once when there is no delay). */
      eventsPerWrite?: number;
    }
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string>; firstByteDelayMs?: number }
  | { kind: 'hang' };

export type Handler = (req: RecordedRequest, res: ServerResponse) => void;

/** An input item as the fake sees it: only its type is read. */
export type FrameItem = { type: string } & Record<string, unknown>;

/** One `response.create` frame the WebSocket side received. */
export interface RecordedFrame {
  /** Which connection (0, 1, …, in the order they were opened). */
  connection: number;
  /** The frame as sent (with `type`, and `previous_response_id` + only the new items when incremental). */
  frame: { type: string; previous_response_id?: string; input: FrameItem[] } & Record<string, unknown>;
  /** The input the response saw: the previous request's input + its output + this frame's input when continued. */
  fullInput: FrameItem[];
  /** The frame's size as a JSON text (before permessage-deflate), and as read off the socket (compressed, framed). */
  bytes: number;
  wireBytes: number;
  /** True when the client closed the connection before the response finished. */
  aborted: boolean;
  /** The id the response got (null: answered with an error). */
  responseId: string | null;
}

/**
 * How the fake answers a WebSocket upgrade: the real backend's way, 426 (no WebSocket here), a 503, or a 401 (the
 * access token rejected).
 */
export type WebSocketMode = 'accept' | 'refuse' | 'fail' | 'unauthorized';

export interface FakeCodexBackend {
  /** Value for `upstreamUrl` (…/backend-api/codex). */
  url: string;
  requests: RecordedRequest[];
  /** Queue responses for the next requests, in order. */
  script(...responses: Scripted[]): void;
  /** Answer every request with a function instead of the queue (null restores the queue). */
  handle(fn: Handler | null): void;
  /**
   * Choose each reply from the request, over HTTP and WebSocket alike (before the queue; null restores it). Over
   * WebSocket the request's `body.input` is the whole input the response sees (continued items included).
   */
  respond(fn: ((req: RecordedRequest) => Scripted) | null): void;
  /** Used when the queue is empty. */
  fallback: Scripted;
  /**
   * Refuse, like the real backend, a `/responses` body it would refuse (codexBackendRules.ts), before any
   * script or handler sees it. On by default; off only for tests about the bridge's error mapping.
   */
  enforceRules: boolean;
  /** Resolves once `n` requests have arrived. */
  waitForRequests(n: number): Promise<void>;
  /** Open TCP connections to the fake right now. */
  connections(): Promise<number>;
  /** How WebSocket upgrades are answered (default `refuse`: 426, so clients use HTTP unless a test opts in). */
  websocket: WebSocketMode;
  /** Every upgrade attempt's headers (refused ones too), and the frames of the accepted connections. */
  upgrades: IncomingHttpHeaders[];
  frames: RecordedFrame[];
  /** WebSocket connections open right now, and the indexes of those that closed. */
  openSockets(): number;
  closedSockets: number[];
  /** Every connection forgets its last response (as after a backend restart): continuations get not-found. */
  forgetResponses(): void;
  close(): Promise<void>;
}

export const RATE_LIMIT_HEADERS: Record<string, string> = {
  'x-codex-primary-used-percent': '42.0',
  'x-codex-primary-window-minutes': '300',
  'x-codex-primary-reset-at': '1900000000',
  'x-codex-secondary-used-percent': '7.5',
  'x-codex-secondary-window-minutes': '10080',
  'x-codex-secondary-reset-at': '1900100000',
  'x-codex-credits-has-credits': 'false',
  'x-codex-credits-unlimited': 'false',
  'x-codex-active-limit': 'codex',
};

/** Builds realistic event sequences: `created` → items → `completed`, with output indexes and sequence numbers. */
export const sse = {
  /**
   * An assistant message; `citations` become `url_citation` annotations on its text, each spanning the first
   * occurrence of `cited` (announced mid-stream by `response.output_text.annotation.added`, as the API does).
   */
  message(
    text: string | string[],
    id = 'msg_fake1',
    citations: { url: string; title: string; cited: string }[] = [],
  ): UpstreamEvent[] {
    const deltas = Array.isArray(text) ? text : [text];
    const full = deltas.join('');
    const annotations = citations.map(({ url, title, cited }) => {
      const start = Math.max(0, full.indexOf(cited));
      return { type: 'url_citation', start_index: start, end_index: start + cited.length, url, title };
    });
    return [
      {
        type: 'response.output_item.added',
        item: { id, type: 'message', role: 'assistant', status: 'in_progress', content: [] },
      },
      {
        type: 'response.content_part.added',
        item_id: id,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [] },
      } as UpstreamEvent,
      ...deltas.map((delta) => ({ type: 'response.output_text.delta', item_id: id, content_index: 0, delta })),
      ...annotations.map(
        (annotation, i) =>
          ({
            type: 'response.output_text.annotation.added',
            item_id: id,
            content_index: 0,
            annotation_index: i,
            annotation,
          }) as UpstreamEvent,
      ),
      { type: 'response.output_text.done', item_id: id, content_index: 0, text: full } as UpstreamEvent,
      {
        type: 'response.content_part.done',
        item_id: id,
        content_index: 0,
        part: { type: 'output_text', text: full, annotations },
      } as UpstreamEvent,
      {
        type: 'response.output_item.done',
        item: {
          id,
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: full, annotations }],
        },
      },
    ];
  },
  reasoning(summary: string[], encrypted: string, id = 'rs_fake1'): UpstreamEvent[] {
    const events: UpstreamEvent[] = [
      { type: 'response.output_item.added', item: { id, type: 'reasoning', summary: [] } },
    ];
    summary.forEach((text, i) => {
      events.push({ type: 'response.reasoning_summary_part.added', item_id: id, summary_index: i });
      events.push({ type: 'response.reasoning_summary_text.delta', item_id: id, summary_index: i, delta: text });
      events.push({
        type: 'response.reasoning_summary_text.done',
        item_id: id,
        summary_index: i,
        text,
      } as UpstreamEvent);
    });
    events.push({
      type: 'response.output_item.done',
      item: {
        id,
        type: 'reasoning',
        summary: summary.map((text) => ({ type: 'summary_text', text })),
        encrypted_content: encrypted,
      },
    });
    return events;
  },
  functionCall(name: string, args: unknown, callId: string, id = `fc_${callId}`, chunks = 3): UpstreamEvent[] {
    const json = typeof args === 'string' ? args : JSON.stringify(args);
    const size = Math.max(1, Math.ceil(json.length / chunks));
    const pieces: string[] = [];
    for (let i = 0; i < json.length; i += size) pieces.push(json.slice(i, i + size));
    const item: UpstreamItem = {
      id,
      type: 'function_call',
      status: 'in_progress',
      name,
      call_id: callId,
      arguments: '',
    };
    return [
      { type: 'response.output_item.added', item },
      ...pieces.map((delta) => ({ type: 'response.function_call_arguments.delta', item_id: id, delta })),
      { type: 'response.function_call_arguments.done', item_id: id, arguments: json } as UpstreamEvent,
      { type: 'response.output_item.done', item: { ...item, status: 'completed', arguments: json } },
    ];
  },
  /** A web search call as the Responses API streams it (the action carries no sources unless asked for). */
  webSearch(query: string, id = 'ws_fake1'): UpstreamEvent[] {
    return [
      { type: 'response.output_item.added', item: { id, type: 'web_search_call', status: 'in_progress' } },
      { type: 'response.web_search_call.in_progress', item_id: id },
      { type: 'response.web_search_call.searching', item_id: id },
      { type: 'response.web_search_call.completed', item_id: id },
      {
        type: 'response.output_item.done',
        item: { id, type: 'web_search_call', status: 'completed', action: { type: 'search', query } },
      },
    ];
  },
  /** Wraps items in `created`/`in_progress` … `completed` (or `incomplete`), numbering everything. */
  response(
    items: UpstreamEvent[][],
    opts: {
      usage?: UpstreamUsage;
      status?: 'completed' | 'incomplete';
      reason?: string;
      id?: string;
      model?: string;
    } = {},
  ): UpstreamEvent[] {
    const id = opts.id ?? 'resp_fake1';
    const base = { id, object: 'response', created_at: 1_900_000_000, model: opts.model ?? 'gpt-5.5', output: [] };
    const usage = opts.usage ?? {
      input_tokens: 120,
      input_tokens_details: { cached_tokens: 20 },
      output_tokens: 30,
      output_tokens_details: { reasoning_tokens: 5 },
      total_tokens: 150,
    };
    const events: UpstreamEvent[] = [
      { type: 'response.created', response: { ...base, status: 'in_progress' } } as UpstreamEvent,
      { type: 'response.in_progress', response: { ...base, status: 'in_progress' } } as UpstreamEvent,
    ];
    items.forEach((group, outputIndex) => {
      for (const ev of group) events.push({ ...ev, output_index: outputIndex });
    });
    const status = opts.status ?? 'completed';
    events.push({
      type: `response.${status}`,
      response: {
        ...base,
        status,
        usage,
        ...(status === 'incomplete' ? { incomplete_details: { reason: opts.reason ?? 'max_output_tokens' } } : {}),
      },
    } as UpstreamEvent);
    return events.map((ev, i) => ({ ...ev, sequence_number: i }));
  },
  failed(code: string, message: string): UpstreamEvent[] {
    return [
      { type: 'response.created', response: { id: 'resp_failed', status: 'in_progress' } },
      { type: 'response.failed', response: { id: 'resp_failed', status: 'failed', error: { code, message } } },
    ].map((ev, i) => ({ ...ev, sequence_number: i }));
  },
};

/** The 429 the backend sends when an account's Codex usage is used up (codex.md §9). */
export function usageLimitBody(resetsAt: number, planType = 'pro') {
  return {
    error: {
      type: 'usage_limit_reached',
      message: 'The usage limit has been reached',
      plan_type: planType,
      resets_at: resetsAt,
    },
  };
}

export function frame(ev: UpstreamEvent): string {
  return `event: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function play(s: Scripted, res: ServerResponse): Promise<void> {
  if (s.kind === 'hang') return;
  if (s.firstByteDelayMs) await sleep(s.firstByteDelayMs);
  if (res.destroyed) return;
  if (s.kind === 'json') {
    res.writeHead(s.status, { 'content-type': 'application/json', ...RATE_LIMIT_HEADERS, ...s.headers });
    res.end(typeof s.body === 'string' ? s.body : JSON.stringify(s.body));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', ...RATE_LIMIT_HEADERS, ...s.headers });
  const events = s.dieAfterEvents !== undefined ? s.events.slice(0, s.dieAfterEvents) : s.events;
  const perWrite = s.eventsPerWrite ?? (s.eventDelayMs ? 1 : events.length || 1);
  for (let i = 0; i < events.length; i += perWrite) {
    if (res.destroyed) return;
    const ok = res.write(
      events
        .slice(i, i + perWrite)
        .map(frame)
        .join(''),
    );
    if (!ok) await new Promise((r) => res.once('drain', r));
    if (s.eventDelayMs) await sleep(s.eventDelayMs);
  }
  if (s.dieAfterEvents !== undefined) {
    await sleep(30); // a dying upstream still delivered what it wrote
    res.socket?.destroy();
    return;
  }
  res.end();
}

type ZstdDecompressSync = (data: Buffer) => Buffer;
/** Node >= 22.15 only: on Node 20 a zstd body cannot be read (the bridge sends identity there). */
const zstdDecompressSync = (zlib as { zstdDecompressSync?: ZstdDecompressSync }).zstdDecompressSync;

function decodeBody(raw: Buffer, encoding: string | undefined): string | null {
  if (!encoding || encoding === 'identity') return raw.toString('utf8');
  if (encoding === 'zstd' && zstdDecompressSync) return zstdDecompressSync(raw).toString('utf8');
  return null;
}

/** The `codex.rate_limits` event the WebSocket side sends where HTTP sends the x-codex-* headers (codex.md §8). */
export const RATE_LIMITS_EVENT = {
  type: 'codex.rate_limits',
  plan_type: 'pro',
  rate_limits: {
    primary: { used_percent: 42.0, window_minutes: 300, reset_at: 1_900_000_000 },
    secondary: { used_percent: 7.5, window_minutes: 10080, reset_at: 1_900_100_000 },
  },
  credits: { has_credits: false, unlimited: false, balance: null },
};

interface SocketState {
  index: number;
  /** The last completed response: its id and the input + output the next one may continue. */
  last: { id: string; context: FrameItem[] } | null;
  busy: boolean;
}

/**
 * Plays a script over a WebSocket the way the real backend does (contract §0): one event per text frame, a
 * `codex.rate_limits` event first, an error status as a wrapped `error` frame with its headers, response ids unique
 * per response, and the completed response remembered on the connection for the next `previous_response_id`.
 */
async function playWs(s: Scripted, ws: WebSocket, state: SocketState, rec: RecordedFrame, n: number): Promise<void> {
  if (s.kind === 'hang') return;
  if (s.firstByteDelayMs) await sleep(s.firstByteDelayMs);
  if (ws.readyState !== ws.OPEN) return;
  if (s.kind === 'json') {
    const headers = { ...RATE_LIMIT_HEADERS, ...s.headers };
    const body = typeof s.body === 'string' ? { error: { message: s.body } } : (s.body as object);
    ws.send(JSON.stringify({ type: 'error', status: s.status, ...body, headers }));
    state.busy = false;
    return;
  }
  ws.send(JSON.stringify(RATE_LIMITS_EVENT));
  const id = `resp_ws_${state.index}_${n}`;
  rec.responseId = id;
  const output: FrameItem[] = [];
  const events = (s.dieAfterEvents !== undefined ? s.events.slice(0, s.dieAfterEvents) : s.events).map((ev) =>
    ev.response ? { ...ev, response: { ...ev.response, id } } : ev,
  );
  for (const ev of events) {
    if (ws.readyState !== ws.OPEN) return;
    if (ev.type === 'response.output_item.done' && ev.item) output.push(ev.item as FrameItem);
    if (ev.type === 'response.completed') state.last = { id, context: [...rec.fullInput, ...output] };
    ws.send(JSON.stringify(ev));
    if (s.eventDelayMs) await sleep(s.eventDelayMs);
  }
  if (s.dieAfterEvents !== undefined) {
    await sleep(30);
    ws.terminate();
    return;
  }
  state.busy = false;
}

export const DEFAULT_REPLY: Scripted = { kind: 'sse', events: sse.response([sse.message('ok')]) };

/**
 * `tls`: serve https with this certificate (test/fakes/tlsCert.ts) instead of plain http. `deflateOnLoop`: compress
 * WebSocket frames with the bridge's own synchronous deflate (wsCompression.ts) rather than ws's thread-pool round
 * trip per frame, the same bytes on the wire, for a bench that must measure the bridge rather than the fake; tests
 * keep ws's, an implementation independent of the one under test.
 */
export async function startFakeCodexBackend(
  opts: { tls?: { cert: string; key: string }; deflateOnLoop?: boolean } = {},
): Promise<FakeCodexBackend> {
  const requests: RecordedRequest[] = [];
  const queue: Scripted[] = [];
  let handler: Handler | null = null;
  let responder: ((req: RecordedRequest) => Scripted) | null = null;
  const waiters: { n: number; resolve: () => void }[] = [];

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = decodeBody(raw, req.headers['content-encoding']);
      let body: unknown = text ?? raw.toString('base64');
      try {
        if (text !== null) body = JSON.parse(text);
      } catch {
        // keep the raw text
      }
      const headerOrder: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headerOrder.push(req.rawHeaders[i]!.toLowerCase());
      const rec: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        headerOrder,
        body,
        wireBytes: raw.length,
        aborted: false,
      };
      requests.push(rec);
      res.on('close', () => {
        if (!res.writableFinished) rec.aborted = true;
      });
      for (const w of waiters.filter((w) => requests.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const isResponses = req.method === 'POST' && (req.url ?? '').endsWith('/backend-api/codex/responses');
      // A body the fake cannot read (another encoding) is left to the handler rather than refused.
      const refusal = fake.enforceRules && isResponses && typeof body === 'object' ? backendRefusal(body) : null;
      if (refusal) {
        res.writeHead(refusal.status, { 'content-type': 'application/json', ...RATE_LIMIT_HEADERS });
        res.end(JSON.stringify(refusal.body));
        return;
      }
      if (handler) return handler(rec, res);
      if (!isResponses) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ detail: 'Not Found' }));
        return;
      }
      if (text === null) {
        res.writeHead(415, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ detail: `Unsupported content encoding: ${req.headers['content-encoding']}` }));
        return;
      }
      void play(responder?.(rec) ?? queue.shift() ?? fake.fallback, res).catch(() => res.destroy());
    });
  };
  const server = opts.tls ? createTlsServer(opts.tls, onRequest) : createServer(onRequest);
  const upgrades: IncomingHttpHeaders[] = [];
  const frames: RecordedFrame[] = [];
  // The backend's limits: permessage-deflate, frames of 16 MiB and more closed with 1009.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: true, maxPayload: 16 * 1024 * 1024 });
  let socketCount = 0;
  const socketStates: SocketState[] = [];
  let responseCount = 0;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrades.push(req.headers);
    const refuse = (status: number, text: string) => {
      socket.end(
        `HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"detail":"${text}"}`,
      );
    };
    if (!(req.url ?? '').endsWith('/backend-api/codex/responses')) return refuse(404, 'Not Found');
    if (fake.websocket === 'refuse') return refuse(426, 'Upgrade Required');
    if (fake.websocket === 'fail') return refuse(503, 'Service Unavailable');
    if (fake.websocket === 'unauthorized') return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (opts.deflateOnLoop) compressOnLoop(ws, 'server', 16 * 1024 * 1024);
      const state: SocketState = { index: socketCount++, last: null, busy: false };
      socketStates.push(state);
      let current: RecordedFrame | null = null;
      // The socket's byte count after the handshake: each frame's wire size is what was read since the last one.
      let readSoFar = (socket as Socket).bytesRead;
      ws.on('close', () => {
        if (current && state.busy) current.aborted = true;
        fake.closedSockets.push(state.index);
      });
      ws.on('message', (data, binary) => {
        if (binary) return;
        const text = data.toString();
        const frame = JSON.parse(text) as RecordedFrame['frame'];
        const error = (code: string, message: string) =>
          ws.send(
            JSON.stringify({ type: 'error', status: 400, error: { type: 'invalid_request_error', code, message } }),
          );
        if (frame.type !== 'response.create') return error('invalid_request', `unknown frame type ${frame.type}`);
        // One response in flight per connection.
        if (state.busy) return error('response_in_progress', 'a response is already in progress on this connection');
        const previous = frame.previous_response_id as string | undefined;
        // Only the connection's last completed response can be continued (store:false keeps it in memory).
        if (previous !== undefined && previous !== state.last?.id)
          return error('previous_response_not_found', `Previous response with id '${previous}' not found.`);
        const fullInput = [...(previous !== undefined ? state.last!.context : []), ...(frame.input ?? [])];
        state.last = null;
        state.busy = true;
        current = {
          connection: state.index,
          frame,
          fullInput,
          bytes: Buffer.byteLength(text),
          wireBytes: (socket as Socket).bytesRead - readSoFar,
          aborted: false,
          responseId: null,
        };
        readSoFar = (socket as Socket).bytesRead;
        frames.push(current);
        // The same scripts and recording as HTTP, so a test scripts replies without caring which transport.
        const { type: _type, previous_response_id: _prev, ...body } = frame;
        const recorded: RecordedRequest = {
          method: 'WS',
          path: req.url ?? '',
          headers: req.headers,
          headerOrder: [],
          body: { ...body, input: fullInput },
          wireBytes: current.wireBytes,
          aborted: false,
        };
        requests.push(recorded);
        for (const w of waiters.filter((w) => requests.length >= w.n)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
        // The frame's body (its new items only, when continued) passes the same checks as an HTTP body.
        const refusal = fake.enforceRules ? backendRefusal(body) : null;
        const reply: Scripted = refusal
          ? { kind: 'json', status: refusal.status, body: refusal.body }
          : (responder?.(recorded) ?? queue.shift() ?? fake.fallback);
        void playWs(reply, ws, state, current, responseCount++).catch(() => ws.terminate());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeCodexBackend = {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}/backend-api/codex`,
    requests,
    script: (...responses) => void queue.push(...responses),
    handle: (fn) => void (handler = fn),
    respond: (fn) => void (responder = fn),
    fallback: DEFAULT_REPLY,
    enforceRules: true,
    waitForRequests: (n) =>
      requests.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })),
    connections: () =>
      new Promise((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n)))),
    websocket: 'refuse',
    upgrades,
    frames,
    openSockets: () => wss.clients.size,
    closedSockets: [],
    forgetResponses: () => {
      for (const state of socketStates) state.last = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
