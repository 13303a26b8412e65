import { describe, expect, it } from 'vitest';
import {
  fit,
  formatBar,
  formatClock,
  formatCount,
  formatCountdown,
  formatDuration,
  formatPercent,
  formatWindow,
  joinFitting,
  truncate,
} from '../../../src/shared/format.js';

describe('formatBar', () => {
  it('fills proportionally to the percentage', () => {
    expect(formatBar(0, 10)).toBe('░░░░░░░░░░');
    expect(formatBar(50, 10)).toBe('█████░░░░░');
    expect(formatBar(100, 10)).toBe('██████████');
    expect(formatBar(42, 5)).toBe('██░░░');
  });

  it('is full only at 100% and never empty above 0%', () => {
    expect(formatBar(99, 10)).toBe('█████████░');
    expect(formatBar(0.4, 10)).toBe('█░░░░░░░░░');
  });

  it('clamps out-of-range and non-finite input', () => {
    expect(formatBar(140, 4)).toBe('████');
    expect(formatBar(-3, 4)).toBe('░░░░');
    expect(formatBar(Number.NaN, 4)).toBe('░░░░');
    expect(formatBar(50, 0)).toBe('');
  });

  it('takes custom characters (ASCII fallback)', () => {
    expect(formatBar(50, 4, { full: '#', empty: '.' })).toBe('##..');
  });
});

describe('formatPercent', () => {
  it('rounds, and marks tiny usage as <1%', () => {
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.2)).toBe('<1%');
    expect(formatPercent(41.6)).toBe('42%');
    expect(formatPercent(100)).toBe('100%');
  });
});

describe('formatCountdown', () => {
  it('pads minutes and seconds so the width stays put while ticking', () => {
    expect(formatCountdown(9_000)).toBe('9s');
    expect(formatCountdown(5 * 60_000 + 9_000)).toBe('5m 09s');
    expect(formatCountdown(2 * 3_600_000 + 5 * 60_000 + 9_000)).toBe('2h 05m 09s');
    expect(formatCountdown(4 * 86_400_000 + 3 * 3_600_000 + 59 * 60_000)).toBe('4d 03h');
  });

  it('rounds partial seconds up (a deadline 0.2 s away is not "0s")', () => {
    expect(formatCountdown(200)).toBe('1s');
    expect(formatCountdown(60_000)).toBe('1m 00s');
  });

  it('says now once the deadline has passed', () => {
    expect(formatCountdown(0)).toBe('now');
    expect(formatCountdown(-5_000)).toBe('now');
  });
});

describe('formatDuration', () => {
  it('keeps its existing compact form', () => {
    expect(formatDuration(3_723_000)).toBe('1h 2m');
    expect(formatDuration(42_000)).toBe('42s');
  });
});

describe('formatWindow', () => {
  it('names common rate-limit windows', () => {
    expect(formatWindow(300)).toBe('5h');
    expect(formatWindow(10_080)).toBe('7d');
    expect(formatWindow(1_440)).toBe('1d');
    expect(formatWindow(90)).toBe('1h30m');
    expect(formatWindow(45)).toBe('45m');
  });

  it('marks unknown windows', () => {
    expect(formatWindow(null)).toBe('?');
    expect(formatWindow(0)).toBe('?');
  });
});

describe('formatCount', () => {
  it('abbreviates thousands and millions', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(950)).toBe('950');
    expect(formatCount(1_000)).toBe('1k');
    expect(formatCount(1_234)).toBe('1.2k');
    expect(formatCount(12_345)).toBe('12k');
    expect(formatCount(999_499)).toBe('999k');
    expect(formatCount(3_400_000)).toBe('3.4M');
  });
});

describe('formatClock', () => {
  it('prints local wall-clock time (tests run with TZ=UTC)', () => {
    expect(process.env.TZ).toBe('UTC');
    expect(formatClock('2026-03-01T07:05:09.123Z')).toBe('07:05:09');
    expect(formatClock('not a date')).toBe('--:--:--');
  });
});

describe('truncate and fit', () => {
  it('truncates with an ellipsis only when needed', () => {
    expect(truncate('account', 10)).toBe('account');
    expect(truncate('account', 7)).toBe('account');
    expect(truncate('account', 5)).toBe('acco…');
    expect(truncate('account', 1)).toBe('…');
    expect(truncate('account', 0)).toBe('');
  });

  it('counts code points, not UTF-16 units', () => {
    expect(truncate('★★★★', 3)).toBe('★★…');
    expect(fit('★', 3)).toBe('★  ');
  });

  it('pads to an exact width on either side', () => {
    expect(fit('ab', 5)).toBe('ab   ');
    expect(fit('ab', 5, 'right')).toBe('   ab');
    expect(fit('abcdef', 4)).toBe('abc…');
  });
});

describe('joinFitting', () => {
  const parts = [
    { text: 'live', priority: 0 },
    { text: 'http://127.0.0.1:9000', priority: 1 },
    { text: 'routing failover', priority: 3 },
    { text: 'fast off', priority: 2 },
  ];

  it('keeps everything when it fits', () => {
    expect(joinFitting(parts, 80, ' | ')).toBe('live | http://127.0.0.1:9000 | routing failover | fast off');
  });

  it('drops the least important parts first and keeps the order of the rest', () => {
    expect(joinFitting(parts, 40, ' | ')).toBe('live | http://127.0.0.1:9000 | fast off');
    expect(joinFitting(parts, 30, ' | ')).toBe('live | http://127.0.0.1:9000');
  });

  it('truncates the last remaining part', () => {
    expect(joinFitting(parts, 3)).toBe('li…');
  });

  it('skips empty parts', () => {
    expect(
      joinFitting(
        [
          { text: 'a', priority: 0 },
          { text: '', priority: 0 },
          { text: 'b', priority: 0 },
        ],
        10,
        '|',
      ),
    ).toBe('a|b');
  });
});
