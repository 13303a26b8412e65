import zlib from 'node:zlib';
import type WebSocket from 'ws';

/**
 * permessage-deflate (RFC 7692) for a WebSocket, on the event loop instead of `ws`'s thread-pool round trips.
 *
 * The Codex backend's WebSocket sends one small event per frame, each compressed with context takeover (contract
 * §0: codex enables permessage-deflate). `ws` inflates and deflates every frame through an async zlib stream: a
 * thread-pool round trip and a stream write, flush and `data` event per frame, and at most ten at once in the whole
 * process. Measured on the daemon at c=64, inflating cost 4.3 ms of CPU per request of 50 deltas, ten times all the
 * rest of the request; one frame inflated here costs 1–2 µs, and a request frame deflated here 5–8 µs.
 *
 * Node has no public synchronous zlib stream (its `*Sync` functions start a new stream per call, and context
 * takeover needs one stream for the connection's life), so this drives a zlib stream's native handle the way Node's
 * own synchronous path does. `available` says whether this Node has that handle; without it `ws` keeps the work.
 */

interface ZlibHandle {
  writeSync(
    flush: number,
    input: Buffer,
    inOff: number,
    inLen: number,
    out: Buffer,
    outOff: number,
    outLen: number,
  ): void;
}

/** What Node's own synchronous zlib path (`processChunkSync`) uses: the handle, and where it reports what is left. */
interface ZlibInternals {
  _handle: ZlibHandle | null;
  _writeState: Uint32Array;
}

type Engine = zlib.InflateRaw | zlib.DeflateRaw;
const internals = (engine: Engine) => engine as unknown as ZlibInternals;

/** Whether this runtime's zlib streams can be driven synchronously (Node 20 to 24 can). */
export const available: boolean = (() => {
  const probe = zlib.createInflateRaw();
  const { _handle: handle, _writeState: state } = internals(probe);
  const ok = typeof handle?.writeSync === 'function' && state instanceof Uint32Array && state.length >= 2;
  probe.close();
  return ok;
})();

/** The empty stored block a sync flush ends with, which a message leaves off (RFC 7692 §7.2.1, §7.2.2). */
const TRAILER = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/** Output space for one step; most frames fit in it and are copied out of it at their own size. */
const SCRATCH_BYTES = 64 * 1024;
let scratch: Buffer | null = null;

/**
 * Feeds `input` to `engine` with a sync flush: everything it makes of it comes out now. More than `maxBytes` of
 * output closes the engine and throws; so does corrupt input.
 */
function flushSync(engine: Engine, input: Buffer, maxBytes: number): Buffer {
  const { _handle: handle, _writeState: state } = internals(engine);
  if (!handle) throw engine.errored ?? new Error('the zlib stream is closed');
  scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES);
  const parts: Buffer[] = [];
  let total = 0;
  let inOff = 0;
  let inLen = input.length;
  for (;;) {
    handle.writeSync(zlib.constants.Z_SYNC_FLUSH, input, inOff, inLen, scratch, 0, SCRATCH_BYTES);
    if (engine.destroyed) throw engine.errored ?? new Error('invalid compressed data');
    const availOut = state[0]!;
    const availIn = state[1]!;
    const produced = SCRATCH_BYTES - availOut;
    total += produced;
    if (total > maxBytes) {
      engine.close();
      throw new RangeError(`a WebSocket message inflated past ${maxBytes} bytes`);
    }
    if (produced) {
      // One new Buffer per step (a subarray and then a copy of it made two, which showed per frame).
      const part = Buffer.allocUnsafe(produced);
      scratch.copy(part, 0, 0, produced);
      parts.push(part);
    }
    inOff += inLen - availIn;
    inLen = availIn;
    // zlib stops short of filling the output only when it has consumed and flushed all it was given.
    if (availOut !== 0) break;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
}

export class FrameInflater {
  private readonly engine: zlib.InflateRaw;

  constructor(
    windowBits: number,
    /** More output than this for one frame is refused (a small frame may inflate to gigabytes). */
    private readonly maxBytes: number,
    /** The peer does not keep its context between messages: neither may this. */
    private readonly noContextTakeover = false,
  ) {
    this.engine = zlib.createInflateRaw({ windowBits });
    // A data error destroys the stream and reports it again as an event: it is thrown from `inflate` instead.
    this.engine.on('error', () => {});
  }

  /**
   * One frame's payload inflated. `fin`: the frame ends its message. Throws on corrupt data or output past the
   * limit (per frame; `ws` adds a message's frames up against its own limit); the stream is unusable afterwards
   * (the connection must close, as any inflate error closes it).
   */
  inflate(data: Buffer, fin: boolean): Buffer {
    const out = flushSync(this.engine, data, this.maxBytes);
    if (!fin) return out;
    const rest = flushSync(this.engine, TRAILER, this.maxBytes - out.length);
    if (this.noContextTakeover) this.engine.reset();
    return rest.length ? Buffer.concat([out, rest]) : out;
  }

  close(): void {
    this.engine.close();
  }
}

/**
 * Messages larger than this are deflated on the thread pool, through the same stream. Measured on Claude Code's
 * system prompt, a frame of up to 32 KB deflates here in 50–130 µs, about what the round trip to the pool costs the
 * event loop; one of 64 KB (a first frame, or every frame of a model that is sent its tools each turn) takes
 * 1.6 ms, which would hold every other stream.
 */
const SYNC_DEFLATE_LIMIT = 32 * 1024;

export class FrameDeflater {
  private readonly engine: zlib.DeflateRaw;

  constructor(
    windowBits: number,
    private readonly noContextTakeover = false,
  ) {
    this.engine = zlib.createDeflateRaw({ windowBits });
  }

  /** One frame's payload deflated; `callback` may be called before this returns. */
  deflate(data: Buffer, fin: boolean, callback: (err: Error | null, result: Buffer) => void): void {
    if (data.length > SYNC_DEFLATE_LIMIT) this.deflateLater(data, fin, callback);
    else callback(null, this.finish(flushSync(this.engine, data, Number.POSITIVE_INFINITY), fin));
  }

  close(): void {
    this.engine.close();
  }

  private deflateLater(data: Buffer, fin: boolean, callback: (err: Error | null, result: Buffer) => void): void {
    const parts: Buffer[] = [];
    const onData = (chunk: Buffer) => parts.push(chunk);
    this.engine.on('data', onData);
    this.engine.write(data);
    this.engine.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      this.engine.off('data', onData);
      callback(null, this.finish(Buffer.concat(parts), fin));
    });
  }

  private finish(out: Buffer, fin: boolean): Buffer {
    if (!fin) return out;
    if (this.noContextTakeover) this.engine.reset();
    return out.subarray(0, out.length - TRAILER.length);
  }
}

/** `ws`'s permessage-deflate extension as negotiated for one socket: its parameters and the methods `ws` calls. */
interface NegotiatedDeflate {
  params: Record<string, number | boolean | undefined>;
  decompress(data: Buffer, fin: boolean, callback: (err: Error | null, result?: Buffer) => void): void;
  compress(data: Buffer | string, fin: boolean, callback: (err: Error | null, result?: Buffer) => void): void;
}

/**
 * Has an open socket's frames inflated and deflated here instead of by `ws`; false (and `ws` keeps doing it) when
 * no compression was negotiated or this Node lacks the zlib handle. `side` is the socket's own: its peer's
 * parameters govern inflating, its own deflating. Call it on `open` (a server: on `connection`), before any frame
 * is read or sent. `ws` keeps the negotiated extension, which its receiver and sender ask for each frame, in
 * `_extensions`.
 */
export function compressOnLoop(ws: WebSocket, side: 'client' | 'server', maxBytes: number): boolean {
  const ext = (ws as unknown as { _extensions?: Record<string, NegotiatedDeflate> })._extensions?.[
    'permessage-deflate'
  ];
  if (!available || typeof ext?.decompress !== 'function' || typeof ext.compress !== 'function') return false;
  const peer = side === 'client' ? 'server' : 'client';
  const bits = (who: string) => {
    const value = ext.params[`${who}_max_window_bits`];
    return typeof value === 'number' ? value : zlib.constants.Z_DEFAULT_WINDOWBITS;
  };
  const inflater = new FrameInflater(bits(peer), maxBytes, ext.params[`${peer}_no_context_takeover`] === true);
  const deflater = new FrameDeflater(bits(side), ext.params[`${side}_no_context_takeover`] === true);
  ext.decompress = (data, fin, callback) => {
    let out: Buffer;
    try {
      out = inflater.inflate(data, fin);
    } catch (err) {
      queueMicrotask(() => callback(err as Error));
      return;
    }
    // The receiver expects the answer after the call returns: answered during it, it would go on parsing in a
    // nested loop and finish the socket's write twice. (The sender takes its answer either way.)
    queueMicrotask(() => callback(null, out));
  };
  ext.compress = (data, fin, callback) =>
    deflater.deflate(typeof data === 'string' ? Buffer.from(data) : data, fin, callback);
  ws.once('close', () => {
    inflater.close();
    deflater.close();
  });
  return true;
}
