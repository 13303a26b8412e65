import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LiveRequest } from '../../../src/daemon/bridge/bridgeDeps.js';
import { sse } from '../../fakes/codexBackend.js';
import { startBridge, type BridgeHarness } from '../../helpers/bridgeHarness.js';

// What the bridge tells the daemon about a request while it runs (the TUI's requests in flight).

let h: BridgeHarness;
const started: LiveRequest[] = [];

beforeAll(async () => {
  h = await startBridge({ hooks: { onStart: (r) => void started.push(r) } });
});
beforeEach(() => {
  h.reset();
  started.length = 0;
});
afterAll(() => h.close());

describe('requests in flight', () => {
  it('a stream is announced on arrival, its tokens so far grow as it streams, and its outcome is the same object', async () => {
    const words = Array.from({ length: 12 }, (_, i) => `word${String(i).padStart(3, '0')} `);
    h.backend.script({ kind: 'sse', events: sse.response([sse.message(words)]), eventDelayMs: 40 });
    const stream = h.client.messages.stream({
      model: 'gpt-5.5',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'go' }],
    });
    const seen: number[] = [];
    stream.on('text', () => seen.push(started[0]!.outputTokensSoFar()));
    await stream.finalMessage();
    expect(started).toHaveLength(1);
    const live = started[0]!;
    expect(live.outcome).toMatchObject({ accountName: 'work', model: 'gpt-5.5', stream: true });
    expect(Math.abs(live.startedAt - Date.now())).toBeLessThan(5000);
    // ~4 characters a token while streaming: 8 characters a delta.
    expect(seen.at(-1)).toBeGreaterThan(seen[0]!);
    expect(seen[0]).toBeGreaterThanOrEqual(2);
    // Upstream's own count once it came (the fake's usage says 30), and the outcome the daemon gets is this one.
    expect(live.outputTokensSoFar()).toBe(30);
    expect(h.outcomes[0]).toBe(live.outcome);
  });

  it('a request refused before routing is announced and reported too, with nothing streamed', async () => {
    h.state.candidates = null;
    await expect(
      h.client.messages.create({ model: 'gpt-5.5', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toThrow();
    expect(started).toHaveLength(1);
    expect(started[0]!.outputTokensSoFar()).toBe(0);
    expect(h.outcomes).toEqual([started[0]!.outcome]);
  });
});
