import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { rateLimitEventHeaders } from '../../limits/rateLimitEventHeaders.js';
import { type PreviousResponse, responseCreateFrame } from '../../translate/responsesContinuation.js';
import type { ResponsesRequest } from '../../translate/responsesSchema.js';
import { parseUpstreamFrame } from '../../translate/parseUpstreamEvent.js';
import type { UpstreamEvent, UpstreamItem } from '../../translate/upstreamEvents.js';
import type { UpstreamTransport } from './upstreamTransport.js';
import { BatchedUpstreamStream } from './batchedUpstreamStream.js';
import { compressOnLoop } from './wsCompression.js';

/**
 * One Responses WebSocket to the Codex backend (contract §0): `response.create` frames out, one Responses event
 * per text frame back. At most one response is in flight on it; it remembers its last completed response so the
 * next request of the same conversation can send only its new input.
 */

/** Frames this large are closed by the backend with 1009 (contract §0). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** The backend ends a connection after 60 minutes; renew well before. */
export const MAX_SOCKET_AGE_MS = 55 * 60_000;

/** Ends the response: after it the connection is free for the next request. */
const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed', 'error']);
/** Errors after which the same request succeeds with its full input (on a fresh connection if need be). */
const RETRY_FULL = new Set(['previous_response_not_found', 'websocket_connection_limit_reached']);

export type ConnectResult =
  | { ok: true; socket: ResponsesSocket }
  | { ok: false; refused: { status: number; body: string; headers: IncomingMessage['headers'] } }
  | { ok: false; error: Error };

export interface SentResponse {
  stream: WsResponseStream;
  /** Whether the frame carried `previous_response_id` and only the new items. */
  incremental: boolean;
  /** The frame's size on the wire before compression. */
  frameBytes: number;
}

export class ResponsesSocket {
  readonly openedAt = Date.now();
  private current: WsResponseStream | null = null;
  private previous: PreviousResponse | null = null;
  /** Taken for a request that has not sent its frame yet. */
  reserved = false;
  closed = false;
  /** The bridge closed it (client gone, idle, a limit it set), rather than the backend. */
  closedLocally = false;
  /** Called once when the socket closes, however. */
  onClosed: () => void = () => {};
  /** Called when a response on it ended and it is free again. */
  onFree: () => void = () => {};

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData, binary: boolean) => {
      if (binary || !this.current) return;
      const ev = parseUpstreamFrame(data.toString());
      if (ev) this.current.push(ev as UpstreamEvent & Record<string, unknown>);
    });
    ws.on('close', () => this.finish(new Error('the Codex backend closed the WebSocket mid-response')));
    ws.on('error', (err) => this.finish(err));
  }

  /** Opens a socket: `url` is https/http, turned into wss/ws; the handshake carries `headers`. */
  static connect(url: URL, headers: Record<string, string>, network: UpstreamTransport, timeoutMs: number) {
    const wsUrl = new URL(url);
    wsUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return new Promise<ConnectResult>((resolve) => {
      const ws = new WebSocket(wsUrl, {
        headers,
        agent: network.agent,
        ...(network.secureContext ? { secureContext: network.secureContext } : {}),
        perMessageDeflate: true,
        handshakeTimeout: timeoutMs,
        maxPayload: MAX_FRAME_BYTES,
      });
      ws.once('open', () => {
        compressOnLoop(ws, 'client', MAX_FRAME_BYTES);
        ws.removeAllListeners('error');
        resolve({ ok: true, socket: new ResponsesSocket(ws) });
      });
      ws.once('unexpected-response', (_req, res: IncomingMessage) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (body.length < 64 * 1024) body += c;
        });
        const refused = () =>
          resolve({ ok: false, refused: { status: res.statusCode ?? 0, body, headers: res.headers } });
        res.on('end', refused);
        res.on('error', refused);
        ws.removeAllListeners('error');
        ws.on('error', () => {});
      });
      ws.on('error', (error) => resolve({ ok: false, error }));
    });
  }

  get busy(): boolean {
    return this.current !== null || this.reserved;
  }

  /** Fresh enough and free for another request. */
  usable(now: number): boolean {
    return !this.closed && !this.busy && now - this.openedAt < MAX_SOCKET_AGE_MS;
  }

  /**
   * Sends `body` as a `response.create` frame, incremental when it continues the last completed response. Null,
   * with nothing sent, when the frame would reach `maxBytes` (the backend closes such frames).
   */
  send(body: ResponsesRequest, opts: { fullInput?: boolean; maxBytes?: number } = {}): SentResponse | null {
    const { frame, incremental } = responseCreateFrame(body, opts.fullInput ? null : this.previous);
    const text = JSON.stringify(frame);
    const frameBytes = Buffer.byteLength(text);
    if (frameBytes >= (opts.maxBytes ?? MAX_FRAME_BYTES)) {
      this.reserved = false;
      return null;
    }
    const stream = new WsResponseStream(this, body);
    this.current = stream;
    this.reserved = false;
    this.previous = null;
    this.ws.send(text);
    return { stream, incremental, frameBytes };
  }

  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }

  /** The response is over: the socket is free again; a completed one is what the next request may continue. */
  settled(stream: WsResponseStream, previous: PreviousResponse | null): void {
    if (this.current !== stream) return;
    this.current = null;
    this.previous = previous;
    this.resume();
    this.onFree();
  }

  close(): void {
    if (this.closed) return;
    this.closedLocally = true;
    this.ws.close(1000);
    // A peer that does not answer the close handshake is cut.
    setTimeout(() => this.ws.terminate(), 2000).unref();
    this.finish(null);
  }

  private finish(err: Error | null): void {
    const current = this.current;
    this.current = null;
    current?.end(err ?? new Error('the WebSocket to the Codex backend was closed'));
    if (this.closed) return;
    this.closed = true;
    this.onClosed();
  }
}

/** One response's events on a socket, as the upstream stream the translator reads. */
export class WsResponseStream extends BatchedUpstreamStream {
  /** The terminal event arrived: the connection is free whatever the consumer does next. */
  private done = false;
  private readonly output: UpstreamItem[] = [];
  private responseId: string | null = null;
  /** The failure was one the full input fixes (`previous_response_not_found`, the connection's age limit). */
  retryWithFullInput = false;
  /** Some frame of this response arrived. */
  started = false;
  /** Rate-limit snapshots (`codex.rate_limits`, wrapped error headers) as x-codex-* headers. */
  onHeaders: (headers: Record<string, string>) => void = () => {};

  constructor(
    private readonly socket: ResponsesSocket,
    private readonly request: ResponsesRequest,
  ) {
    super();
  }

  /**
   * Events come one per frame. Those of one socket read go to the consumer together, in the tick after it (after
   * the microtasks the frames' inflation answers in): one translation and one client write per read, not per
   * event, as over HTTP (UpstreamEventSource).
   */
  private batch: UpstreamEvent[] = [];

  private readonly flush = (): void => {
    if (!this.batch.length) return;
    const events = this.batch;
    this.batch = [];
    // After the terminal event the socket already serves the next request: waiting must not pause it.
    this.deliver(events, !this.done);
  };

  push(ev: UpstreamEvent & Record<string, unknown>): void {
    if (this.ended) return;
    this.started = true;
    if (ev.type === 'codex.rate_limits') {
      this.onHeaders(rateLimitEventHeaders(ev));
      return;
    }
    if (ev.type === 'error' && ev.headers && typeof ev.headers === 'object')
      this.onHeaders(ev.headers as Record<string, string>);
    if (ev.type === 'response.created' && ev.response?.id) this.responseId = ev.response.id;
    if (ev.type === 'response.output_item.done' && ev.item) this.output.push(ev.item);
    const code = ev.error?.code ?? ev.response?.error?.code ?? ev.code;
    if (code && RETRY_FULL.has(code)) this.retryWithFullInput = true;
    const terminal = TERMINAL.has(ev.type);
    if (terminal) {
      this.done = true;
      const completed = ev.type === 'response.completed' && this.responseId !== null;
      this.socket.settled(
        this,
        completed ? { request: this.request, responseId: this.responseId!, output: this.output } : null,
      );
    }
    if (terminal) {
      this.batch.push(ev);
      this.end(null);
    } else if (this.batch.push(ev) === 1) process.nextTick(this.flush);
  }

  /** Whatever arrived before the end is delivered first. */
  override end(err: Error | null): void {
    if (this.ended) return;
    this.flush();
    super.end(err);
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /**
   * Client gone or response broken: the backend has no cancel for a streaming response, so the connection goes
   * (the backend stops the response with it); the next request opens a new one.
   */
  abort(): void {
    this.detach();
    if (!this.done && !this.ended) this.socket.close();
  }

  /** Normally called after the terminal event: nothing left to do. A response still running is cut. */
  release(): void {
    this.abort();
  }
}
