import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { AnthropicApiError, type AnthropicErrorType } from '../../translate/anthropicError.js';
import type { MessagesRequest } from '../../translate/anthropicSchema.js';
import { REQUEST_ENCODING, type ContentEncoding } from '../../translate/encodeRequestBody.js';
import { encodeTranslated, type EncodedTranslation } from '../../translate/encodeTranslated.js';
import { parseMessagesRequest } from '../../translate/parseMessagesRequest.js';
import { requestFacts, type RequestFacts } from '../../translate/requestFacts.js';
import type { TranslateContext } from '../../translate/translateRequest.js';
import { nextTurn } from './middleware/validBody.js';

/**
 * Requests of several MB cost hundreds of ms each to parse, validate, translate, serialize and compress, and no
 * step of that can be cut into turns: on the event loop they held every other client for that long (14.9). A
 * request this large goes whole, as bytes, to one worker thread that does all of it and sends back only the
 * facts the route needs and the encoded upstream body (moved, not copied). Such a request goes over HTTP: its
 * bytes are made before a WebSocket connection could tell which part of it a frame would carry.
 */

/** Requests this large are prepared off the event loop (real Claude Code requests are well below). */
export const OFF_THREAD_BYTES = 4 * 1024 * 1024;
/** An idle worker ends, so the heap it used for the last large request goes back to the system. */
const WORKER_IDLE_MS = 30_000;

/** A request parsed elsewhere: its facts, and its translation for one account at a time (failover asks again). */
export interface OffloadedRequest {
  facts: RequestFacts;
  encode(ctx: TranslateContext): Promise<EncodedTranslation>;
  /** The response is over: the parsed request is dropped. */
  release(): void;
}

/** Main thread → worker. */
export type WorkerCall =
  | { id: number; op: 'parse'; bytes: ArrayBuffer; sessionHeader: string | null }
  | { id: number; op: 'encode'; ctx: TranslateContext; encoding: ContentEncoding }
  | { id: number; op: 'release' };

/** Worker → main thread: the answer to the call with the same id. */
export type WorkerAnswer =
  | { id: number; ok: true; facts: RequestFacts }
  | { id: number; ok: true; translation: EncodedTranslation }
  | { id: number; ok: false; errorType: AnthropicErrorType; message: string };

/** The worker's script next to the bundle's entry (the daemon's code sits in dist/chunks/); none when run from source. */
function workerScript(): URL | null {
  for (const path of ['./requestWorker.mjs', '../requestWorker.mjs']) {
    const url = new URL(path, import.meta.url);
    if (existsSync(url)) return url;
  }
  return null;
}

let script: URL | null | undefined;
let worker: Worker | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let nextId = 1;
/** Requests parsed in the worker and not released yet, and calls waiting for an answer. */
let live = 0;
const waiting = new Map<number, { resolve: (a: WorkerAnswer) => void; reject: (e: Error) => void }>();

function startWorker(url: URL): Worker {
  const w = new Worker(url);
  w.on('message', (a: WorkerAnswer) => {
    const call = waiting.get(a.id);
    waiting.delete(a.id);
    call?.resolve(a);
  });
  const gone = (err: Error) => {
    if (worker !== w) return;
    worker = null;
    live = 0;
    for (const call of waiting.values()) call.reject(err);
    waiting.clear();
  };
  w.on('error', gone);
  w.on('exit', (code) => gone(new Error(`the request worker stopped (exit code ${code})`)));
  // The daemon must be able to exit with the worker alive; after the listeners, which would hold it again.
  w.unref();
  return w;
}

function idleCheck(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  if (live > 0 || waiting.size > 0 || !worker) return;
  idleTimer = setTimeout(() => {
    idleTimer = null;
    const w = worker;
    worker = null;
    void w?.terminate();
  }, WORKER_IDLE_MS);
  idleTimer.unref();
}

/** One call to the worker; a parse error comes back as the same Anthropic error it would be on this thread. */
async function ask(w: Worker, call: WorkerCall, transfer: ArrayBuffer[] = []): Promise<WorkerAnswer & { ok: true }> {
  const answer = await new Promise<WorkerAnswer>((resolve, reject) => {
    waiting.set(call.id, { resolve, reject });
    w.postMessage(call, transfer);
  });
  if (!answer.ok) throw new AnthropicApiError(answer.errorType, answer.message);
  return answer;
}

/**
 * The memory under `bytes`, to move to the other thread uncopied: a large buffer is its own; a small one may be a
 * slice of Node's shared pool, which must not move, so it is copied.
 */
export function movable(bytes: Uint8Array): ArrayBuffer {
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return own ? (bytes.buffer as ArrayBuffer) : new Uint8Array(bytes).buffer;
}

/** The encoded body as a Buffer again, over the memory the worker moved here. */
function received(t: EncodedTranslation): EncodedTranslation {
  const { bytes } = t.encoded;
  return { ...t, encoded: { ...t.encoded, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) } };
}

/**
 * Hands a large request body to the worker. Where there is no worker script (the sources run by the tests), the
 * same steps run here, each in a turn of its own.
 */
export async function offloadRequest(bytes: Buffer, sessionHeader: string | null): Promise<OffloadedRequest> {
  if (script === undefined) script = workerScript();
  if (!script) return prepareHere(bytes, sessionHeader);
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const w = (worker ??= startWorker(script));
  const id = nextId++;
  const buffer = movable(bytes);
  live++;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    if (worker === w) {
      live--;
      w.postMessage({ id, op: 'release' } satisfies WorkerCall);
    }
    idleCheck();
  };
  try {
    const parsed = await ask(w, { id, op: 'parse', bytes: buffer, sessionHeader }, [buffer]);
    if (!('facts' in parsed)) throw new Error('the request worker answered out of turn');
    return {
      facts: parsed.facts,
      encode: async (ctx) => {
        const answer = await ask(w, { id, op: 'encode', ctx, encoding: REQUEST_ENCODING });
        if (!('translation' in answer)) throw new Error('the request worker answered out of turn');
        return received(answer.translation);
      },
      release,
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** The worker's steps on this thread, a turn between each. */
async function prepareHere(bytes: Buffer, sessionHeader: string | null): Promise<OffloadedRequest> {
  await nextTurn();
  const req: MessagesRequest = parseMessagesRequest(bytes.toString('utf8'));
  await nextTurn();
  return {
    facts: requestFacts(req, sessionHeader),
    encode: async (ctx) => {
      await nextTurn();
      return encodeTranslated(req, ctx, REQUEST_ENCODING);
    },
    release: () => {},
  };
}
