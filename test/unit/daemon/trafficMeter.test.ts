import { describe, expect, it } from 'vitest';
import type { ProxyOutcome } from '../../../src/daemon/bridge/bridgeDeps.js';
import { OutcomeRecorder } from '../../../src/daemon/bridge/outcomeRecorder.js';
import { TrafficMeter } from '../../../src/daemon/bridge/trafficMeter.js';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');

/** A request as the bridge tracks it, its tokens so far read off `tokens` (the translator's place). */
function live(id: string, tokens: { out: number }, over: Partial<ProxyOutcome> = {}): OutcomeRecorder {
  const rec = new OutcomeRecorder({ onOutcome: () => {} }, id);
  Object.assign(
    rec.outcome,
    { accountId: 'wrk1', accountName: 'work', requestedModel: 'claude-sonnet-4-5', stream: true },
    over,
  );
  rec.streamsFrom({
    get outputTokensSoFar() {
      return tokens.out;
    },
  });
  return rec;
}

describe('TrafficMeter', () => {
  it('lists requests in flight oldest first, with their tokens so far read when the view is built', () => {
    let now = T0;
    const meter = new TrafficMeter(() => now);
    const tokens = { out: 0 };
    const a = live('a', tokens);
    meter.started(a);
    meter.started(live('b', { out: 0 }, { accountId: null, accountName: null }));
    a.outcome.model = 'gpt-5.5';
    tokens.out = 42;
    now += 1500;
    expect(meter.snapshot()).toEqual({
      inflight: [
        {
          requestId: 'a',
          accountId: 'wrk1',
          accountName: 'work',
          model: 'gpt-5.5',
          stream: true,
          startedAt: new Date(a.startedAt).toISOString(),
          outputTokens: 42,
        },
        expect.objectContaining({ requestId: 'b', accountName: null, model: 'claude-sonnet-4-5' }),
      ],
      inflightCount: 2,
      lastMinute: { requests: 0, inputTokens: 0, outputTokens: 0 },
    });
    expect(meter.active).toBe(true);
  });

  it('counts finished requests and their tokens over a sliding last minute', () => {
    let now = T0;
    const meter = new TrafficMeter(() => now);
    const finish = (id: string, inputTokens: number, outputTokens: number) => {
      const r = live(id, { out: 0 });
      meter.started(r);
      Object.assign(r.outcome, { inputTokens, outputTokens });
      meter.finished(r.outcome);
    };
    finish('a', 1000, 10);
    now += 30_000;
    finish('b', 2000, 20);
    finish('c', 3000, 30);
    expect(meter.snapshot()).toMatchObject({
      inflightCount: 0,
      lastMinute: { requests: 3, inputTokens: 6000, outputTokens: 60 },
    });
    now += 30_500; // a is older than a minute now
    expect(meter.snapshot().lastMinute).toEqual({ requests: 2, inputTokens: 5000, outputTokens: 50 });
    // The same bucket a minute later starts over instead of adding to an old second.
    now = T0 + 60_000;
    finish('d', 7, 1);
    now += 29_999;
    expect(meter.snapshot().lastMinute).toEqual({ requests: 3, inputTokens: 5007, outputTokens: 51 });
    expect(meter.active).toBe(true);
    now += 60_001;
    expect(meter.snapshot().lastMinute).toEqual({ requests: 0, inputTokens: 0, outputTokens: 0 });
    expect(meter.active).toBe(false);
  });

  it('lists at most 20 but counts them all', () => {
    const meter = new TrafficMeter(() => T0);
    for (let i = 0; i < 64; i++) meter.started(live(`r${i}`, { out: i }));
    const view = meter.snapshot();
    expect(view.inflight).toHaveLength(20);
    expect(view.inflight[0]!.requestId).toBe('r0');
    expect(view.inflightCount).toBe(64);
  });
});
