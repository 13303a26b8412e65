import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { available, compressOnLoop, FrameDeflater, FrameInflater } from '../../../src/daemon/bridge/wsCompression.js';
import { ResponsesSocket } from '../../../src/daemon/bridge/responsesSocket.js';
import { createUpstreamTransport } from '../../../src/daemon/bridge/upstreamTransport.js';
import type { ResponsesRequest } from '../../../src/translate/responsesSchema.js';
import type { UpstreamEvent } from '../../../src/translate/upstreamEvents.js';
import { sse } from '../../fakes/codexBackend.js';

// The Codex backend's WebSocket frames are compressed with context takeover (permessage-deflate, contract §0). The
// bridge inflates them, and deflates its own, on the event loop (wsCompression.ts) instead of through ws's thread-pool
// round trip per frame.

/** A peer's side of permessage-deflate: one raw deflate stream, every message ended by a sync flush. */
class Deflater {
  private readonly engine: zlib.DeflateRaw;
  constructor(opts: zlib.ZlibOptions = {}) {
    this.engine = zlib.createDeflateRaw(opts);
  }
  /** One message's compressed data, without the trailing 00 00 ff ff (RFC 7692 §7.2.1). */
  async message(text: string | Buffer): Promise<Buffer> {
    const parts: Buffer[] = [];
    const onData = (c: Buffer) => parts.push(c);
    this.engine.on('data', onData);
    this.engine.write(text);
    await new Promise<void>((r) => this.engine.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
    this.engine.off('data', onData);
    const all = Buffer.concat(parts);
    return all.subarray(0, all.length - 4);
  }
  close(): void {
    this.engine.close();
  }
}

describe('FrameInflater', () => {
  it('can drive zlib synchronously on this Node (else the bridge falls back to ws, ten times dearer)', () => {
    expect(available).toBe(true);
  });

  it('inflates a stream of messages that refer back to earlier ones (context takeover)', async () => {
    const deflater = new Deflater();
    const inflater = new FrameInflater(15, 16 << 20);
    const texts = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify({ type: 'response.output_text.delta', item_id: 'msg_1', delta: `tok${i} ` }),
    );
    // One message larger than a step's output space, and one repeating what came before (back-references).
    texts.splice(100, 0, `${'x'.repeat(200_000)}${Math.random()}`, texts[50]!);
    for (const text of texts) {
      const out = inflater.inflate(await deflater.message(text), true);
      expect(out.toString()).toBe(text);
    }
    deflater.close();
    inflater.close();
  });

  it('inflates a message sent in several frames, the last one ending it', async () => {
    const deflater = new Deflater();
    const inflater = new FrameInflater(15, 1 << 20);
    const whole = await deflater.message('the whole message, cut into fragments');
    const parts = [whole.subarray(0, 5), whole.subarray(5, 11), whole.subarray(11)];
    const out = Buffer.concat(parts.map((p, i) => inflater.inflate(p, i === parts.length - 1)));
    expect(out.toString()).toBe('the whole message, cut into fragments');
  });

  it('starts every message afresh when the peer keeps no context, and honours a smaller window', async () => {
    const inflater = new FrameInflater(10, 1 << 20, true);
    for (const text of ['first message', 'second message', 'first message']) {
      const deflater = new Deflater({ windowBits: 10 }); // a fresh compressor per message, as the peer says
      expect(inflater.inflate(await deflater.message(text), true).toString()).toBe(text);
      deflater.close();
    }
  });

  it('refuses corrupt data, and stays refusing', () => {
    const inflater = new FrameInflater(15, 1 << 20);
    expect(() => inflater.inflate(Buffer.from([0xff, 0xff, 0xff, 0x00, 0x13]), true)).toThrow();
    expect(() => inflater.inflate(Buffer.from([0x01]), true)).toThrow();
  });

  it('refuses a message that inflates past the limit without inflating all of it', async () => {
    const deflater = new Deflater();
    const bomb = await deflater.message(Buffer.alloc(8 << 20)); // 8 MB of zeros: a few KB compressed
    expect(bomb.length).toBeLessThan(16 * 1024);
    const inflater = new FrameInflater(15, 256 * 1024);
    expect(() => inflater.inflate(bomb, true)).toThrow(/inflated past 262144 bytes/);
  });
});

/** A peer's inflating side, zlib's own stream: what a message's compressed data (trailer left off) reads as. */
class Inflater {
  private readonly engine = zlib.createInflateRaw();
  async message(data: Buffer): Promise<string> {
    const parts: Buffer[] = [];
    const onData = (c: Buffer) => parts.push(c);
    this.engine.on('data', onData);
    this.engine.write(Buffer.concat([data, Buffer.from([0, 0, 0xff, 0xff])]));
    await new Promise<void>((resolve, reject) => {
      this.engine.once('error', reject);
      this.engine.flush(() => resolve());
    });
    this.engine.off('data', onData);
    return Buffer.concat(parts).toString();
  }
}

const deflated = (deflater: FrameDeflater, text: string, fin = true) =>
  new Promise<Buffer>((resolve, reject) =>
    deflater.deflate(Buffer.from(text), fin, (err, out) => (err ? reject(err) : resolve(out))),
  );

describe('FrameDeflater', () => {
  it('deflates messages a peer reads with its one stream, large ones (off the loop) among them', async () => {
    const deflater = new FrameDeflater(15);
    const peer = new Inflater();
    const texts = Array.from({ length: 50 }, (_, i) => JSON.stringify({ type: 'response.create', n: i }));
    texts.splice(20, 0, `${'long conversation '.repeat(20_000)}${Math.random()}`, texts[3]!);
    for (const text of texts) {
      const out = await deflated(deflater, text);
      expect(out.subarray(-4)).not.toEqual(Buffer.from([0, 0, 0xff, 0xff])); // the trailer is left off
      expect(await peer.message(out)).toBe(text);
    }
    deflater.close();
  });

  it('answers a small message before returning, a large one later', async () => {
    const deflater = new FrameDeflater(15);
    let small = false;
    let large = false;
    deflater.deflate(Buffer.from('small'), true, () => {
      small = true;
    });
    const later = new Promise<void>((resolve) =>
      deflater.deflate(Buffer.alloc(40 * 1024, 'a'), true, () => {
        large = true;
        resolve();
      }),
    );
    expect([small, large]).toEqual([true, false]);
    await later;
    deflater.close();
  });

  it('starts every message afresh when it may keep no context', async () => {
    const deflater = new FrameDeflater(15, true);
    for (const text of ['the first message', 'the second message', 'the first message'])
      expect(await new Inflater().message(await deflated(deflater, text))).toBe(text);
  });
});

// ---------- through a real ws client, against a peer that writes compressed frames as it pleases ----------

interface RawPeer {
  url: string;
  /** Every connection's socket, once upgraded. */
  sockets: Socket[];
  close(): Promise<void>;
}

const peers: RawPeer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) await p.close();
});

/**
 * A WebSocket server that accepts permessage-deflate and, for each text frame the client sends, calls `answer` with
 * a writer of compressed frames: a test decides what goes into one socket write.
 */
async function rawPeer(answer: (send: (frames: Buffer[]) => void, deflater: Deflater) => Promise<void>) {
  const sockets: Socket[] = [];
  const server = http.createServer();
  server.on('upgrade', (req, socket: Socket) => {
    const accept = createHash('sha1')
      .update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n`,
    );
    sockets.push(socket);
    const deflater = new Deflater();
    socket.once('data', () => void answer((frames) => socket.write(Buffer.concat(frames)), deflater));
    socket.on('close', () => deflater.close());
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const peer: RawPeer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/backend-api/codex/responses`,
    sockets,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
  peers.push(peer);
  return peer;
}

/** A server-to-client text frame: unmasked, RSV1 set (compressed), FIN set. */
function textFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const head =
    n < 126
      ? Buffer.from([0xc1, n])
      : n < 65536
        ? Buffer.from([0xc1, 126, n >> 8, n & 0xff])
        : Buffer.concat([Buffer.from([0xc1, 127]), Buffer.from(new BigUint64Array([BigInt(n)]).buffer).reverse()]);
  return Buffer.concat([head, payload]);
}

/** The frames of one response, compressed in order on the connection's one stream. */
async function compressed(deflater: Deflater, events: object[]): Promise<Buffer[]> {
  const frames: Buffer[] = [];
  for (const ev of events) frames.push(textFrame(await deflater.message(JSON.stringify(ev))));
  return frames;
}

describe('compressOnLoop', () => {
  it('inflates every frame in place of ws, in order, across responses', async () => {
    const texts = Array.from({ length: 100 }, (_, i) => JSON.stringify({ n: i, text: 'again and again '.repeat(i) }));
    const peer = await rawPeer(async (send, deflater) => {
      const frames: Buffer[] = [];
      for (const t of texts) frames.push(textFrame(await deflater.message(t)));
      send(frames.slice(0, 40));
      send(frames.slice(40));
    });
    const ws = new WebSocket(peer.url.replace('http', 'ws'), { perMessageDeflate: true });
    const received: string[] = [];
    const all = new Promise<void>((resolve) =>
      ws.on('message', (data: Buffer) => {
        if (received.push(data.toString()) === texts.length) resolve();
      }),
    );
    await new Promise((r) => ws.once('open', r));
    expect(compressOnLoop(ws, 'client', 16 << 20)).toBe(true);
    ws.send('go');
    await all;
    expect(received).toEqual(texts);
    // ws makes its own inflate stream on the first frame it inflates: none was made.
    const ext = (ws as unknown as { _extensions: Record<string, { _inflate?: unknown }> })._extensions;
    expect(ext['permessage-deflate']?._inflate ?? null).toBeNull();
    ws.terminate();
  });

  it('closes the connection with an error on a frame that inflates past the limit', async () => {
    const peer = await rawPeer(async (send, deflater) =>
      send([textFrame(await deflater.message(Buffer.alloc(4 << 20)))]),
    );
    const ws = new WebSocket(peer.url.replace('http', 'ws'), { perMessageDeflate: true });
    await new Promise((r) => ws.once('open', r));
    compressOnLoop(ws, 'client', 1 << 20);
    const error = new Promise<Error>((r) => ws.once('error', r));
    ws.send('go');
    expect((await error).message).toMatch(/inflated past 1048576 bytes/);
    expect(ws.readyState).toBe(WebSocket.CLOSING); // this peer never answers the close: no need to wait for it
    ws.terminate();
  });

  it.each([
    ['keeping its context', true],
    ['keeping its context in a smaller window', { clientMaxWindowBits: 10 }],
    ['asked to keep none', { clientNoContextTakeover: true }],
  ])('deflates what the client sends so that ws on the other end reads it, %s', async (_how, perMessageDeflate) => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
    await new Promise((r) => server.once('listening', r));
    // A 2 KB block sent twice: a compressor keeping a larger window than agreed refers past the peer's, one keeping
    // a context it was asked not to keep refers to a message the peer forgot.
    const block = randomBytes(1500).toString('base64');
    const texts = ['hello there', 'x'.repeat(300 * 1024), 'hello there again', 'hello there', block, block];
    const got = new Promise<string[]>((resolve, reject) =>
      server.once('connection', (peer) => {
        const seen: string[] = [];
        peer.on('message', (data: Buffer) => seen.push(data.toString()) === texts.length && resolve(seen));
        peer.on('error', reject);
      }),
    );
    const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { perMessageDeflate: true });
    await new Promise((r) => ws.once('open', r));
    expect(compressOnLoop(ws, 'client', 1 << 20)).toBe(true);
    for (const t of texts) ws.send(t);
    expect(await got).toEqual(texts);
    const ext = (ws as unknown as { _extensions: Record<string, { _deflate?: unknown }> })._extensions;
    expect(ext['permessage-deflate']?._deflate ?? null).toBeNull();
    ws.terminate();
    await new Promise((r) => server.close(r));
  });

  it('serves the server side too, with the parameters it negotiated', async () => {
    const server = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      perMessageDeflate: { serverNoContextTakeover: true, serverMaxWindowBits: 10, threshold: 0 },
    });
    await new Promise((r) => server.once('listening', r));
    const texts = Array.from({ length: 20 }, (_, i) => `message ${i % 3}`);
    server.once('connection', (peer) => {
      expect(compressOnLoop(peer, 'server', 1 << 20)).toBe(true);
      for (const t of texts) peer.send(t);
    });
    const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { perMessageDeflate: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (data: Buffer) => seen.push(data.toString()) === texts.length && resolve());
      ws.on('error', reject);
    });
    expect(seen).toEqual(texts);
    ws.terminate();
    await new Promise((r) => server.close(r));
  });

  it('leaves a socket without compression to ws', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
    await new Promise((r) => server.once('listening', r));
    const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { perMessageDeflate: true });
    await new Promise((r) => ws.once('open', r));
    expect(compressOnLoop(ws, 'client', 1 << 20)).toBe(false);
    ws.terminate();
    await new Promise((r) => server.close(r));
  });
});

describe('a response over the WebSocket', () => {
  const BODY = { model: 'gpt-5.5', stream: true, input: [], store: false } as unknown as ResponsesRequest;

  it('reaches the consumer as one batch per socket read, not one per frame', async () => {
    const events = sse.response([sse.message(Array.from({ length: 50 }, (_, i) => `tok${i} `))]);
    const peer = await rawPeer(async (send, deflater) => send(await compressed(deflater, events)));
    const url = new URL(peer.url);
    const opened = await ResponsesSocket.connect(
      url,
      {},
      createUpstreamTransport(url, {}, () => {}),
      5000,
    );
    if (!opened.ok) throw new Error('no connection');
    const sent = opened.socket.send(BODY);
    const batches: UpstreamEvent[][] = [];
    await new Promise<void>((resolve, reject) =>
      sent!.stream.consume(
        (batch) => batches.push(batch),
        (err) => (err ? reject(err) : resolve()),
      ),
    );
    expect(batches.flat().map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(batches.flat().filter((e) => e.type === 'response.output_text.delta')).toHaveLength(50);
    expect(batches.length).toBeLessThanOrEqual(3);
    opened.socket.close();
  });
});
