import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { AnthropicApiError } from '../../translate/anthropicError.js';
import type { MessagesRequest } from '../../translate/anthropicSchema.js';
import { parseJsonObject, validateMessagesRequest } from '../../translate/parseMessagesRequest.js';
import type { BridgeEnv } from './bridgeRuntime.js';
import type { BodyFormat } from './middleware/validBody.js';

/**
 * The client side of a bridge request. On @hono/node-server (the daemon, the tests' real servers) it works on
 * the Node request and response directly: no web-stream layer per chunk on the hot path. Elsewhere
 * (`app.request()`), it falls back to the web Request and a TransformStream.
 */

/** Anthropic's own request limit (anthropic.md §4). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

interface NodeBindings {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

function nodeBindings(c: Context): NodeBindings | null {
  const env = c.env as Partial<NodeBindings> | undefined;
  return env?.incoming && env.outgoing ? (env as NodeBindings) : null;
}

/**
 * A request header. On Node it comes from the parsed record Node already has: the first `c.req.header()`
 * builds a whole web `Headers` object, which showed in the profile.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const node = nodeBindings(c);
  if (!node) return c.req.header(name);
  const v = node.incoming.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function tooLarge(limit: number): AnthropicApiError {
  return new AnthropicApiError(
    'request_too_large',
    `request body exceeds the ${Math.round(limit / 1024 / 1024)} MB limit`,
  );
}

/**
 * Node request body, event-driven (an async iterator per request showed in the profile). A declared length gets
 * its buffer up front, filled chunk by chunk: joining a 27 MB body's chunks at the end was one more copy that held
 * the event loop (and the buffer is the body's own memory, which can move to a worker uncopied).
 */
function collectNode(incoming: IncomingMessage, limit: number, declared: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const whole = declared > 64 * 1024 && declared <= limit ? Buffer.allocUnsafeSlow(declared) : null;
    let size = 0;
    const onData = (chunk: Buffer) => {
      if (whole) {
        // Node's HTTP parser passes no more than the declared length.
        size += chunk.copy(whole, size);
        return;
      }
      size += chunk.byteLength;
      if (size <= limit) return void parts.push(chunk);
      incoming.off('data', onData);
      incoming.resume(); // discard the rest
      reject(tooLarge(limit));
    };
    incoming.on('data', onData);
    incoming.once('end', () => resolve(whole ? whole.subarray(0, size) : Buffer.concat(parts, size)));
    incoming.once('error', reject);
  });
}

async function collectWeb(body: ReadableStream<Uint8Array>, limit: number): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) {
      await body.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts, size);
}

/** The body's bytes, refusing more than `limit` by Content-Length and by the bytes actually streamed. */
export async function readRequestBytes(c: Context, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(requestHeader(c, 'content-length'));
  if (declared > limit) throw tooLarge(limit);
  const node = nodeBindings(c);
  if (node) return collectNode(node.incoming, limit, declared);
  return c.req.raw.body ? collectWeb(c.req.raw.body, limit) : Buffer.alloc(0);
}

/** Calls `fn` once the response is over, complete or not (on Node; a web Response has no such moment). */
export function onResponseDone(c: Context, fn: () => void): void {
  nodeBindings(c)?.outgoing.once('close', fn);
}

/** Calls `fn` once if the client goes away before its response is complete; returns an unsubscribe. */
export function onClientGone(c: Context, fn: () => void): () => void {
  const node = nodeBindings(c);
  if (node) {
    const onClose = () => {
      if (!node.outgoing.writableFinished) fn();
    };
    node.outgoing.once('close', onClose);
    return () => node.outgoing.off('close', onClose);
  }
  const signal = c.req.raw.signal;
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}

export interface SseWriter {
  /** Resolves when the client can take more (backpressure); undefined when it already can. */
  write(chunk: string): Promise<unknown> | undefined;
  /** Ends the response, with a last chunk when given. */
  end(last?: string): void;
  /** What the route handler returns. */
  response: Response;
}

const BUFFER_LIMIT = 1024 * 1024;

/** Resolves when the response can take more or is gone, leaving no listener behind. */
function drained(out: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** Starts a 200 SSE response, with its `request-id` and the headers middleware prepared (CORS). */
export function openSseWriter<E extends BridgeEnv>(c: Context<E>, headers: Record<string, string>): SseWriter {
  const node = nodeBindings(c);
  if (node) {
    const out = node.outgoing;
    // `newResponse` reads the prepared headers without creating `c.res`, which would replace RESPONSE_ALREADY_SENT;
    // it builds a web Response, so only when there are any.
    const prepared = c.get('preparedHeaders') ? Object.fromEntries(c.newResponse(null).headers) : {};
    out.writeHead(200, { ...prepared, 'request-id': c.get('requestId'), ...headers });
    return {
      // Keep translating while up to BUFFER_LIMIT waits in the socket: waiting for every 16 KB drain
      // would serialize reading the upstream with writing to the client.
      write: (chunk) => {
        out.write(chunk);
        return out.writableLength > BUFFER_LIMIT && !out.destroyed ? drained(out) : undefined;
      },
      end: (last) => void (last ? out.end(last) : out.end()),
      response: RESPONSE_ALREADY_SENT,
    };
  }
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const w = writable.getWriter();
  return {
    write: (chunk) => w.write(Buffer.from(chunk)).catch(() => {}),
    end: (last) => {
      if (last) void w.write(Buffer.from(last)).catch(() => {});
      void w.close().catch(() => {});
    },
    response: c.body(readable, 200, headers),
  };
}

/** A Messages request body (`/messages`, `/messages/count_tokens`): capped, its errors in Anthropic's shape. */
export const messagesBody: BodyFormat<MessagesRequest> = {
  read: (c) => readRequestBytes(c),
  json: parseJsonObject,
  validate: validateMessagesRequest,
};
