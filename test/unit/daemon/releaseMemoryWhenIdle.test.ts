import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { trackInflight } from '../../../src/daemon/bridge/trackInflight.js';
import { reduceHeap } from '../../../src/daemon/reduceHeap.js';
import { releaseMemoryWhenIdle } from '../../../src/daemon/releaseMemoryWhenIdle.js';

const QUIET_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('releaseMemoryWhenIdle', () => {
  const servers: http.Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });

  /** A server whose requests end when `finish` is called; resolves with its url. */
  async function server(onRequest: (res: http.ServerResponse) => void): Promise<{ s: http.Server; url: string }> {
    const s = http.createServer((_req, res) => onRequest(res));
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return { s, url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/` };
  }

  const get = (url: string) =>
    new Promise<void>((resolve, reject) =>
      http.get(url, { agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject),
    );

  it('releases once after start and once after each burst, never while a request is in flight', async () => {
    let pending: http.ServerResponse | null = null;
    const { s, url } = await server((res) => (pending = res));
    let releases = 0;
    const memory = releaseMemoryWhenIdle(trackInflight(s), {
      quietMs: QUIET_MS,
      minGainBytes: 0,
      release: () => releases++,
    });

    await sleep(QUIET_MS * 2);
    expect(releases).toBe(1); // the start is a burst of its own
    await sleep(QUIET_MS * 2);
    expect(releases).toBe(1); // nothing happened since

    const answered = get(url);
    while (!pending) await sleep(5);
    await sleep(QUIET_MS * 2);
    expect(releases).toBe(1); // a request in flight holds it
    (pending as http.ServerResponse).end('ok');
    await answered;
    await sleep(QUIET_MS * 3);
    expect(releases).toBe(2);

    memory.stop();
    pending = null;
    const again = get(url);
    while (!pending) await sleep(5);
    (pending as http.ServerResponse).end('ok');
    await again;
    await sleep(QUIET_MS * 3);
    expect(releases).toBe(2); // stopped: no more
  });

  it('skips a release while the resident set has not grown by minGainBytes since the last one', async () => {
    const { s, url } = await server((res) => res.end('ok'));
    let rss = 100;
    const released: number[] = [];
    const memory = releaseMemoryWhenIdle(trackInflight(s), {
      quietMs: QUIET_MS,
      minGainBytes: 10,
      rss: () => rss,
      release: () => {
        released.push(rss);
        rss = 60; // what the release gave back
      },
    });
    await sleep(QUIET_MS * 2);
    expect(released).toEqual([100]); // the first one always runs

    rss = 69; // grew by 9: not worth it
    await get(url);
    await sleep(QUIET_MS * 2);
    expect(released).toEqual([100]);

    rss = 70; // grew by 10
    await get(url);
    await sleep(QUIET_MS * 2);
    expect(released).toEqual([100, 70]);
    memory.stop();
  });

  it('releases again once connections close in a quiet spell that had a release, one release per wave', async () => {
    let pending: http.ServerResponse | null = null;
    const { s, url } = await server((res) => (pending = res));
    let rss = 100;
    let releases = 0;
    const memory = releaseMemoryWhenIdle(trackInflight(s), {
      quietMs: QUIET_MS,
      minGainBytes: 10,
      rss: () => rss,
      release: () => {
        releases++;
      },
    });
    await sleep(QUIET_MS * 2);
    expect(releases).toBe(1); // after start
    for (let i = 0; i < 3; i++) memory.connectionClosed();
    await sleep(QUIET_MS * 3);
    expect(releases).toBe(2); // the three closes made one, though the resident set did not grow

    const inFlight = get(url);
    while (!pending) await sleep(5);
    memory.connectionClosed(); // busy: nothing to give back
    (pending as http.ServerResponse).end('ok');
    await inFlight;
    await sleep(QUIET_MS * 3);
    expect(releases).toBe(2); // the request grew nothing worth a release
    memory.connectionClosed();
    await sleep(QUIET_MS * 3);
    expect(releases).toBe(2); // and with none in this quiet spell, a close brings none

    rss = 110;
    pending = null;
    const grew = get(url);
    while (!pending) await sleep(5);
    (pending as http.ServerResponse).end('ok');
    await grew;
    await sleep(QUIET_MS * 2);
    expect(releases).toBe(3);
    memory.connectionClosed();
    await sleep(QUIET_MS * 3);
    expect(releases).toBe(4);
    memory.stop();
    memory.connectionClosed();
    await sleep(QUIET_MS * 3);
    expect(releases).toBe(4); // stopped
  });

  it('reduceHeap gives the young generation back and collects the garbage of a burst', async () => {
    let keep: unknown[] = [];
    for (let i = 0; i < 200_000; i++) keep.push({ i, s: `x${i}` });
    keep = [];
    const newSpace = () => v8.getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space')!.space_size;
    const before = { used: v8.getHeapStatistics().used_heap_size, young: newSpace() };
    await reduceHeap();
    const after = { used: v8.getHeapStatistics().used_heap_size, young: newSpace() };
    expect(keep).toEqual([]);
    expect(after.used).toBeLessThan(before.used);
    expect(after.young).toBeLessThanOrEqual(before.young);
  });
});
