import { classifyHttpFailure, upstreamTimeout } from '../../translate/upstreamErrors.js';
import { websocketRequest } from '../../translate/upstreamHeaders.js';
import type { Settings } from '../../shared/schemas/settings.js';
import { awaitFirstOutput, unreachable, type OpenResult } from './awaitFirstOutput.js';
import type { ResponsesCall, ResponsesTransport } from './responsesClient.js';
import { MAX_FRAME_BYTES, ResponsesSocket } from './responsesSocket.js';
import type { UpstreamTransport } from './upstreamTransport.js';

/**
 * The Responses API over WebSocket, codex's default transport (contract §0), with codex's HTTP fallback: one
 * connection per conversation thread and account, reused across turns, at most one response in flight on each,
 * `previous_response_id` + only the new items when the request provably continues the last response.
 */

export type TransportSetting = Settings['transport'];

export interface WsTransportOptions {
  /** An idle connection is closed after this long. */
  idleMs?: number;
  /** Handshake limit. */
  connectTimeoutMs?: number;
  /** Attempts at an upgrade that fails without an answer (network, 5xx) before the thread goes to HTTP. */
  connectAttempts?: number;
  /** Frames at least this large go over HTTP (the backend closes them with 1009; tests shorten it). */
  maxFrameBytes?: number;
  now?: () => number;
}

/** A 426 means the backend has no WebSocket here at all: every request goes over HTTP for this long. */
const REFUSED_FOR_MS = 60 * 60_000;
/** Threads remembered as HTTP-only after their upgrades kept failing (bounded: one entry per session). */
const MAX_HTTP_THREADS = 10_000;
const OPENAI_BETA = 'responses_websockets=2026-02-06';

/** Handshake headers: the HTTP request's, minus what describes an HTTP body, plus the WebSocket beta flag. */
function handshakeHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'accept' || name === 'content-type' || name === 'content-encoding' || name === 'content-length')
      continue;
    out[name] = value;
    if (name === 'originator') out['openai-beta'] = OPENAI_BETA;
  }
  out['openai-beta'] ??= OPENAI_BETA;
  return out;
}

export class WsResponsesTransport implements ResponsesTransport {
  private readonly sockets = new Map<string, Set<ResponsesSocket>>();
  /** A free connection's idle timer, and when (by the wall clock) it became free. */
  private readonly idleTimers = new Map<ResponsesSocket, { timer: NodeJS.Timeout; since: number }>();
  private readonly httpThreads = new Set<string>();
  private refusedUntil = 0;
  private closing = false;
  private readonly idleMs: number;
  private readonly connectTimeoutMs: number;
  private readonly connectAttempts: number;
  private readonly maxFrameBytes: number;
  private readonly now: () => number;

  constructor(
    private readonly url: URL,
    private readonly network: UpstreamTransport,
    private readonly http: ResponsesTransport,
    private readonly setting: () => TransportSetting,
    opts: WsTransportOptions = {},
  ) {
    this.idleMs = opts.idleMs ?? 10 * 60_000;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    this.connectAttempts = opts.connectAttempts ?? 3;
    this.maxFrameBytes = opts.maxFrameBytes ?? MAX_FRAME_BYTES;
    this.now = opts.now ?? Date.now;
  }

  async open(call: ResponsesCall, headers: Record<string, string>): Promise<OpenResult> {
    const setting = this.setting();
    const thread = `${call.accountId}\0${call.sessionless ? '' : (headers['thread-id'] ?? headers['session-id'] ?? '')}`;
    const viaHttp =
      setting === 'http' ||
      this.closing ||
      (setting !== 'websocket' && (this.refusedUntil > this.now() || this.httpThreads.has(thread)));
    const { body } = call;
    // A large request's bytes, made off the event loop (offloadRequest.ts), go over HTTP.
    if (viaHttp || 'bytes' in body) return this.http.open(call, headers);

    // Per-request headers (the responses-lite marker) ride in each frame, not on the shared connection.
    const ws = websocketRequest(headers, body);
    let retried = false;
    for (;;) {
      const got = await this.acquire(thread, ws.handshake, call);
      if (call.cancel.cancelled) {
        if ('socket' in got) {
          got.socket.reserved = false;
          this.release(thread, got.socket);
        }
        throw new Error('client disconnected');
      }
      if (!('socket' in got)) {
        if (got.fallback && setting !== 'websocket') return this.http.open(call, headers);
        return { ok: false, failure: got.failure };
      }
      const socket = got.socket;
      const sent = socket.send(ws.body, { fullInput: retried, maxBytes: this.maxFrameBytes });
      if (!sent) {
        // A frame the backend would close with 1009: HTTP carries it, in any mode.
        this.release(thread, socket);
        return this.http.open(call, headers);
      }
      sent.stream.onHeaders = (h) => call.onHeaders(h);
      call.cancel.onCancel(() => sent.stream.abort());
      // The WebSocket's "no response headers": not one frame back within the limit ends the attempt. Closing the
      // socket ends the stream while its reader is attached (abort() would detach it first, leaving the reader to
      // the much longer idle limit).
      const silent = setTimeout(() => {
        if (!sent.stream.started) socket.close();
      }, call.headersTimeoutMs);
      const result = await awaitFirstOutput(sent.stream, { url: this.url, ...call });
      clearTimeout(silent);
      if (!result.ok && !sent.stream.started && socket.closedLocally && !call.cancel.cancelled)
        return { ok: false, failure: upstreamTimeout('nothing', call.headersTimeoutMs) };
      // A continuation the backend no longer knows, its connection limit, or a close before any output: once
      // more with the full input (on a new connection when this one is gone).
      const backendClosed = socket.closed && !socket.closedLocally;
      if (!result.ok && (sent.stream.retryWithFullInput || backendClosed) && !retried && !call.cancel.cancelled) {
        retried = true;
        continue;
      }
      return result;
    }
  }

  /** A free connection of this thread and account, or a new one; a refused upgrade says where to go instead. */
  private async acquire(
    thread: string,
    headers: Record<string, string>,
    call: ResponsesCall,
  ): Promise<
    { socket: ResponsesSocket } | { fallback: boolean; failure: Extract<OpenResult, { ok: false }>['failure'] }
  > {
    const now = this.now();
    for (const socket of this.sockets.get(thread) ?? []) {
      // The idle timer runs on a clock that stops while the machine sleeps: a connection left idle across a sleep
      // is past its idle time by the wall clock, and likely dropped on the way (a NAT, a Wi-Fi change) without a
      // word. Sent a request, it would answer nothing until the headers limit.
      const idleSince = this.idleTimers.get(socket)?.since ?? now;
      if (socket.usable(now) && now - idleSince < this.idleMs) {
        this.clearIdle(socket);
        socket.reserved = true;
        return { socket };
      }
      // Near the backend's 60-minute limit, or idle too long: retire it once free.
      if (!socket.busy && !socket.closed) socket.close();
    }
    let why: Error = new Error('no attempt');
    for (let attempt = 0; attempt < this.connectAttempts; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      const got = await ResponsesSocket.connect(
        this.url,
        handshakeHeaders(headers),
        this.network,
        this.connectTimeoutMs,
      );
      if (got.ok) {
        const socket = got.socket;
        let set = this.sockets.get(thread);
        if (!set) this.sockets.set(thread, (set = new Set()));
        set.add(socket);
        socket.reserved = true;
        socket.onClosed = () => this.forget(thread, socket);
        socket.onFree = () => this.release(thread, socket);
        return { socket };
      }
      if ('error' in got) {
        why = got.error;
        continue;
      }
      const { status, body, headers: answer } = got.refused;
      call.onHeaders(answer);
      if (status === 426) {
        this.refusedUntil = this.now() + REFUSED_FOR_MS;
        return { fallback: true, failure: unreachable(this.url, new Error('WebSocket upgrade refused (426)')) };
      }
      // The backend answered: its answer (401 → token refresh, 429 → next account) is the request's.
      const retryAfter = answer['retry-after'];
      if (status < 500)
        return {
          fallback: false,
          failure: classifyHttpFailure(status, body, call.failure, typeof retryAfter === 'string' ? retryAfter : null),
        };
      why = new Error(`WebSocket upgrade answered ${status}`);
    }
    // Upgrades keep failing: this thread goes over HTTP from now on, as codex does for the rest of a session.
    if (this.httpThreads.size >= MAX_HTTP_THREADS) this.httpThreads.clear();
    this.httpThreads.add(thread);
    return { fallback: true, failure: unreachable(this.url, why) };
  }

  /** A free connection waits for the thread's next turn, closed when idle too long (or at once when stopping). */
  private release(thread: string, socket: ResponsesSocket): void {
    if (socket.closed) {
      this.forget(thread, socket);
      return;
    }
    if (this.closing) {
      socket.close();
      return;
    }
    this.clearIdle(socket);
    const timer = setTimeout(() => socket.close(), this.idleMs);
    timer.unref();
    this.idleTimers.set(socket, { timer, since: this.now() });
  }

  private clearIdle(socket: ResponsesSocket): void {
    const idle = this.idleTimers.get(socket);
    if (idle) clearTimeout(idle.timer);
    this.idleTimers.delete(socket);
  }

  private forget(thread: string, socket: ResponsesSocket): void {
    this.clearIdle(socket);
    const set = this.sockets.get(thread);
    set?.delete(socket);
    if (set && !set.size) this.sockets.delete(thread);
  }

  /** Graceful stop: new requests go over HTTP, free connections close now, busy ones when their response ends. */
  close(): void {
    this.closing = true;
    for (const set of this.sockets.values()) for (const socket of set) if (!socket.busy) socket.close();
  }
}
