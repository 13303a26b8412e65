import { describe, expect, it } from 'vitest';
import { cacheHitRate, formatUsageReport, usageJson } from '../../../src/cli/usageReport.js';
import type { UsageReport } from '../../../src/shared/schemas/usage.js';

const NOW = Date.parse('2025-03-12T12:00:00Z'); // tests run with TZ=UTC
const counts = (requests: number, input: number, cached: number, output: number) => ({
  requests,
  inputTokens: input,
  cachedInputTokens: cached,
  outputTokens: output,
  reasoningTokens: Math.round(output / 4),
  errors: 0,
  failovers: 0,
});
const report: UsageReport = {
  days: [
    {
      date: '2025-03-10',
      accounts: [{ id: 'a1', name: 'work', ...counts(40, 1_200_000, 900_000, 30_000) }],
    },
    {
      date: '2025-03-12',
      accounts: [
        { id: 'a1', name: 'work', ...counts(12, 300_000, 150_000, 9000) },
        { id: 'b2', name: 'home', ...counts(3, 20_000, 0, 2000), errors: 1, failovers: 2 },
      ],
    },
  ],
};

describe('usage report', () => {
  it('a row per day and account, totals, and a chart, within 80 columns in plain ASCII', () => {
    const text = formatUsageReport(report, { days: 7, now: NOW, width: 80, fancy: false, color: false });
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
    expect('\n' + text + '\n').toMatchInlineSnapshot(`
      "
      date        account     reqs  input cached  hit output reason errs  f/o
      2025-03-10  work          40   1.2M   900k  75%    30k   7.5k    0    0
      2025-03-12  work          12   300k   150k  50%     9k   2.3k    0    0
                  home           3    20k      0   0%     2k    500    1    2

      total       work          52   1.5M   1.1M  70%    39k   9.8k    0    0
                  home           3    20k      0   0%     2k    500    1    2
                  all           55   1.5M   1.1M  69%    41k    10k    1    2
      input includes cached; hit = cached / input; f/o = moved to another account

      daily tokens (input + output), 2025-03-06 to 2025-03-12
      work            @ -  1.5M
      home              .  22k
      "
    `);
  });

  it('draws blocks and colour when the terminal takes them', () => {
    const text = formatUsageReport(report, { days: 3, now: NOW, width: 80, fancy: true, color: true });
    expect(text).toContain('work        \x1b[36m█ ▃\x1b[39m  1.5M');
    expect(text).toContain('cached ÷ input');
  });

  it('--json has exactly the documented fields', () => {
    expect(Object.keys(usageJson(report).days[1]!.accounts[1]!)).toEqual([
      'id',
      'name',
      'requests',
      'inputTokens',
      'cachedInputTokens',
      'outputTokens',
      'reasoningTokens',
      'errors',
    ]);
  });

  it('cache hit rate is cached ÷ input', () => {
    expect(cacheHitRate({ inputTokens: 200, cachedInputTokens: 150 })).toBe('75%');
    expect(cacheHitRate({ inputTokens: 0, cachedInputTokens: 0 })).toBe('-');
  });

  it('says so when nothing was used', () => {
    expect(formatUsageReport({ days: [] }, { days: 7, now: NOW, fancy: false, color: false })).toBe(
      'no requests in the last 7 days',
    );
  });
});
