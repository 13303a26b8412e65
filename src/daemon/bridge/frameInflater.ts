import zlib from 'node:zlib';
import type WebSocket from 'ws';

/**
 * permessage-deflate (RFC 7692) inflation of a WebSocket's incoming frames, synchronously on the event loop.
 *
 * The Codex backend's WebSocket sends one small event per frame, each compressed with context takeover (contract
 * §0: codex enables permessage-deflate). `ws` inflates every frame through an async zlib stream: a thread-pool round
 * trip and a stream write, flush and `data` event per frame, and at most ten at once in the whole process. Measured
 * on the daemon at c=64, that cost 4.3 ms of CPU per request of 50 deltas, ten times all the rest of the request;
 * one frame inflated here costs 1–2 µs.
 *
 * Node has no public synchronous zlib stream (its `*Sync` functions start a new stream per call, and context
 * takeover needs one stream for the connection's life), so this drives a zlib stream's native handle the way Node's
 * own synchronous path does. `available` says whether this Node has that handle; without it the caller leaves
 * inflation to `ws`.
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

const internals = (engine: zlib.InflateRaw) => engine as unknown as ZlibInternals;

/** Whether this runtime's zlib streams can be driven synchronously (Node 20 to 24 can). */
export const available: boolean = (() => {
  const probe = zlib.createInflateRaw();
  const { _handle: handle, _writeState: state } = internals(probe);
  const ok = typeof handle?.writeSync === 'function' && state instanceof Uint32Array && state.length >= 2;
  probe.close();
  return ok;
})();

/** What every message's compressed data lacks: the empty stored block a sync flush ends with (RFC 7692 §7.2.2). */
const TRAILER = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/** Output space for one step; most frames fit in it and are copied out of it at their own size. */
const SCRATCH_BYTES = 64 * 1024;
let scratch: Buffer | null = null;

export class FrameInflater {
  private readonly engine: zlib.InflateRaw;

  constructor(
    windowBits: number,
    /** More output than this for one message is refused (a small frame may inflate to gigabytes). */
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
    const first = this.step(data, 0);
    if (!fin) return first;
    const rest = this.step(TRAILER, first.length);
    if (this.noContextTakeover) this.engine.reset();
    return rest.length ? Buffer.concat([first, rest]) : first;
  }

  close(): void {
    this.engine.close();
  }

  /** Feeds `input` with a sync flush: everything it decodes to comes out now. */
  private step(input: Buffer, alreadyBytes: number): Buffer {
    const { _handle: handle, _writeState: state } = internals(this.engine);
    if (!handle) throw this.engine.errored ?? new Error('the inflate stream is closed');
    scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES);
    const parts: Buffer[] = [];
    let total = 0;
    let inOff = 0;
    let inLen = input.length;
    for (;;) {
      handle.writeSync(zlib.constants.Z_SYNC_FLUSH, input, inOff, inLen, scratch, 0, SCRATCH_BYTES);
      if (this.engine.destroyed) throw this.engine.errored ?? new Error('invalid compressed data');
      const availOut = state[0]!;
      const availIn = state[1]!;
      const produced = SCRATCH_BYTES - availOut;
      total += produced;
      if (alreadyBytes + total > this.maxBytes) {
        this.engine.close();
        throw new RangeError(`a WebSocket message inflated past ${this.maxBytes} bytes`);
      }
      if (produced) parts.push(Buffer.from(scratch.subarray(0, produced)));
      inOff += inLen - availIn;
      inLen = availIn;
      // zlib stops short of filling the output only when it has consumed and flushed all it was given.
      if (availOut !== 0) break;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
  }
}

/** `ws`'s permessage-deflate extension as negotiated for one socket: the parameters and the method its receiver calls. */
interface NegotiatedDeflate {
  params: { server_max_window_bits?: number | true; server_no_context_takeover?: boolean };
  decompress(data: Buffer, fin: boolean, callback: (err: Error | null, result?: Buffer) => void): void;
}

/**
 * Has an open client socket's compressed frames inflated here instead of by `ws`; false (and `ws` goes on doing it)
 * when no compression was negotiated or this Node lacks what FrameInflater needs. Call it on `open`, before any
 * frame is read. `ws` keeps the negotiated extension, which its receiver asks for each frame, in `_extensions`.
 */
export function inflateOnLoop(ws: WebSocket, maxBytes: number): boolean {
  const ext = (ws as unknown as { _extensions?: Record<string, NegotiatedDeflate> })._extensions?.[
    'permessage-deflate'
  ];
  if (!available || typeof ext?.decompress !== 'function') return false;
  const bits = ext.params.server_max_window_bits;
  const inflater = new FrameInflater(
    typeof bits === 'number' ? bits : zlib.constants.Z_DEFAULT_WINDOWBITS,
    maxBytes,
    ext.params.server_no_context_takeover === true,
  );
  ext.decompress = (data, fin, callback) => {
    let out: Buffer;
    try {
      out = inflater.inflate(data, fin);
    } catch (err) {
      queueMicrotask(() => callback(err as Error));
      return;
    }
    // The receiver expects the answer after the call returns: answered during it, it would go on parsing in a
    // nested loop and finish the socket's write twice.
    queueMicrotask(() => callback(null, out));
  };
  ws.once('close', () => inflater.close());
  return true;
}
