import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamEventSource } from '../../../src/daemon/bridge/upstreamClient.js';
import type { UpstreamEvent } from '../../../src/translate/upstreamEvents.js';
import { frame, sse } from '../../fakes/codexBackend.js';

// A backend streaming tokens sends every event in an HTTP chunk of its own; Node's parser emits a `data` event per
// chunk. The bridge must handle what one socket read brought as one batch (one translation, one client write).

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function respond(write: (res: http.ServerResponse) => void): Promise<IncomingMessage> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    write(res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) =>
    http.get({ host: '127.0.0.1', port, agent: false }, resolve).on('error', reject),
  );
}

function drain(source: UpstreamEventSource): Promise<UpstreamEvent[][]> {
  const batches: UpstreamEvent[][] = [];
  return new Promise((resolve, reject) =>
    source.consume(
      (events) => batches.push(events),
      (err) => (err ? reject(err) : resolve(batches)),
    ),
  );
}

describe('UpstreamEventSource', () => {
  it('delivers the chunks of one socket read as one batch, every event in order', async () => {
    const events = sse.response([sse.message(Array.from({ length: 200 }, (_, i) => `t${i} `))]);
    // 200+ chunks written in one go reach the bridge in a few socket reads.
    const res = await respond((out) => {
      out.cork();
      for (const ev of events) out.write(frame(ev));
      out.uncork();
      out.end();
    });
    const batches = await drain(new UpstreamEventSource(res));
    expect(batches.flat().map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(batches.length).toBeLessThan(10);
  });

  it('keeps a multi-byte character cut between two reads whole', async () => {
    const text = 'héllo wörld ✓';
    const carrying = sse.response([sse.message([text])]).find((e) => JSON.stringify(e).includes(text))!;
    const bytes = Buffer.from(frame(carrying));
    const cut = bytes.indexOf(Buffer.from('✓')) + 1; // inside the 3-byte check mark
    const res = await respond((out) => {
      out.write(bytes.subarray(0, cut));
      setTimeout(() => out.end(bytes.subarray(cut)), 20);
    });
    const batches = await drain(new UpstreamEventSource(res));
    expect(JSON.stringify(batches.flat())).toContain(text);
  });
});
