import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Cancellation } from '../../../src/daemon/bridge/cancellation.js';
import { postUpstream } from '../../../src/daemon/bridge/upstreamClient.js';
import { createUpstreamTransport } from '../../../src/daemon/bridge/upstreamTransport.js';

// A kept-alive connection to the backend can be dead when it is reused (the backend's idle timeout ran out as the
// request went out; a NAT or proxy dropped it). The request goes again on another connection; a request on a new
// connection that fails is not sent twice.

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A backend that answers `ok`, except that `drop(n)` (the n-th request on a connection) resets the connection. */
async function backend(drop: (nth: number) => boolean) {
  const seen = new WeakMap<Socket, number>();
  const log = { requests: 0, dropped: 0, connections: 0 };
  const server = http.createServer((req, res) => {
    log.requests++;
    const nth = (seen.get(req.socket) ?? 0) + 1;
    seen.set(req.socket, nth);
    if (drop(nth)) {
      log.dropped++;
      req.socket.resetAndDestroy();
      return;
    }
    res.end('ok');
  });
  server.on('connection', () => log.connections++);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/responses`);
  return { url, log, transport: createUpstreamTransport(url, {}, () => {}) };
}

async function post(b: Awaited<ReturnType<typeof backend>>): Promise<string> {
  const res = await postUpstream(b.url, b.transport, {}, Buffer.from('{}'), new Cancellation());
  let text = '';
  for await (const chunk of res) text += chunk;
  return text;
}

describe('postUpstream on a dead kept-alive connection', () => {
  it('sends the request again on a new connection', async () => {
    const b = await backend((nth) => nth === 2);
    expect(await post(b)).toBe('ok');
    expect(await post(b)).toBe('ok'); // the kept-alive connection resets; a new one answers
    expect(b.log).toEqual({ requests: 3, dropped: 1, connections: 2 });
    b.transport.agent.destroy();
  });

  it('does not send again a request whose new connection failed', async () => {
    const b = await backend(() => true);
    await expect(post(b)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(b.log).toEqual({ requests: 1, dropped: 1, connections: 1 });
    b.transport.agent.destroy();
  });

  it('gives up after a bounded number of dead connections', async () => {
    const b = await backend((nth) => nth > 1);
    // Eight kept-alive connections, each with one answered request, then every reuse resets.
    expect(await Promise.all(Array.from({ length: 8 }, () => post(b)))).toEqual(Array(8).fill('ok'));
    expect(b.log.connections).toBe(8);
    await expect(post(b)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(b.log.dropped).toBe(5); // the first attempt and four more
    b.transport.agent.destroy();
  });
});
