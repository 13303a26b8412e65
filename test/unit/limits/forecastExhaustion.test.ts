import { describe, expect, it } from 'vitest';
import { addSample, forecastExhaustion, type UsageSample } from '../../../src/limits/forecastExhaustion.js';

const T0 = Date.parse('2025-01-01T12:00:00Z');
const MIN = 60_000;

/** `n` readings one minute apart starting at `from`, rising `step` percent each. */
const series = (n: number, from: number, step: number, start = T0): UsageSample[] =>
  Array.from({ length: n }, (_, i) => ({ at: start + i * MIN, usedPercent: from + i * step }));

describe('forecastExhaustion', () => {
  it('extrapolates a steady rise to 100 %', () => {
    const s = series(6, 40, 2); // 40 → 50 % over 5 minutes: 2 %/min, 50 % to go = 25 minutes
    const now = T0 + 5 * MIN;
    expect(forecastExhaustion(s, now + 5 * 3_600_000, now)).toBe(now + 25 * MIN);
  });

  it('counts the quiet time since the last reading as standing still', () => {
    const s = series(6, 40, 2);
    const busy = forecastExhaustion(s, null, T0 + 5 * MIN)!;
    const quiet = forecastExhaustion(s, null, T0 + 15 * MIN)!;
    expect(quiet - (T0 + 15 * MIN)).toBeGreaterThan(busy - (T0 + 5 * MIN));
  });

  it('says nothing for a flat or falling series', () => {
    const now = T0 + 9 * MIN;
    expect(forecastExhaustion(series(10, 40, 0), null, now)).toBeNull();
    expect(forecastExhaustion(series(10, 60, -1), null, now)).toBeNull();
  });

  it('needs five rises spread over ten seconds', () => {
    expect(forecastExhaustion(series(5, 40, 2), null, T0 + 4 * MIN)).toBeNull(); // four rises
    const burst = Array.from({ length: 8 }, (_, i) => ({ at: T0 + i * 1000, usedPercent: 40 + i }));
    expect(forecastExhaustion(burst, null, T0 + 7000)).toBeNull(); // 7 s
    expect(forecastExhaustion([...burst, { at: T0 + 10_000, usedPercent: 48 }], null, T0 + 10_000)).not.toBeNull();
  });

  it('says nothing when the window resets before it would run out, or is already full', () => {
    const s = series(6, 40, 2);
    const now = T0 + 5 * MIN;
    expect(forecastExhaustion(s, now + 20 * MIN, now)).toBeNull();
    expect(forecastExhaustion(series(6, 90, 2), null, now)).toBeNull(); // 100 % reached
  });

  it('starts over after a reset (a drop) and forgets readings older than the lookback', () => {
    const now = T0 + 12 * MIN;
    const beforeReset = series(6, 80, 3);
    const afterReset = series(3, 1, 1, T0 + 10 * MIN);
    expect(forecastExhaustion([...beforeReset, ...afterReset], null, now)).toBeNull();
    expect(forecastExhaustion(series(6, 40, 2), null, T0 + 3 * 3_600_000)).toBeNull();
  });
});

describe('addSample', () => {
  it('keeps the series within the lookback and replaces a same-instant reading', () => {
    let s: UsageSample[] = [];
    for (const x of series(40, 0, 1)) s = addSample(s, x);
    expect(s[0]!.at).toBe(T0 + 9 * MIN);
    s = addSample(s, { at: T0 + 39 * MIN, usedPercent: 99 });
    expect(s.at(-1)).toEqual({ at: T0 + 39 * MIN, usedPercent: 99 });
    expect(s.filter((x) => x.at === T0 + 39 * MIN)).toHaveLength(1);
  });
});
