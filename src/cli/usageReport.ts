import { fit, formatCount, truncate } from '../shared/format.js';
import { addCounts, EMPTY_COUNTS } from '../core/usageCounts.js';
import { localDateBefore } from '../shared/localDate.js';
import type { UsageAccountDay, UsageReport } from '../shared/schemas/usage.js';

/** `usage --json`: exactly these fields per account and day (failovers are for the table only). */
export function usageJson(report: UsageReport) {
  return {
    days: report.days.map((d) => ({
      date: d.date,
      accounts: d.accounts.map((a) => ({
        id: a.id,
        name: a.name,
        requests: a.requests,
        inputTokens: a.inputTokens,
        cachedInputTokens: a.cachedInputTokens,
        outputTokens: a.outputTokens,
        reasoningTokens: a.reasoningTokens,
        errors: a.errors,
      })),
    })),
  };
}

type Counts = Omit<UsageAccountDay, 'id' | 'name'>;

/** Cached ÷ input: the share of input the upstream prompt cache served (what makes long sessions cheap). */
export function cacheHitRate(c: Pick<Counts, 'inputTokens' | 'cachedInputTokens'>): string {
  return c.inputTokens > 0 ? `${Math.round((c.cachedInputTokens / c.inputTokens) * 100)}%` : '-';
}

export interface UsageFormatOptions {
  /** How many days the report covers (the chart has one cell per day, empty days included). */
  days: number;
  now: number;
  width?: number;
  /** Block characters (else plain ASCII: NO_COLOR, a dumb terminal). */
  fancy: boolean;
  /** Colour the chart (a terminal that takes it). */
  color: boolean;
}

const COLUMNS: Array<[string, number]> = [
  ['reqs', 5],
  ['input', 6],
  ['cached', 6],
  ['hit', 4],
  ['output', 6],
  ['reason', 6],
  ['errs', 4],
  ['f/o', 4],
];

function row(date: string, name: string, c: Counts): string {
  const cells = [
    formatCount(c.requests),
    formatCount(c.inputTokens),
    formatCount(c.cachedInputTokens),
    cacheHitRate(c),
    formatCount(c.outputTokens),
    formatCount(c.reasoningTokens),
    String(c.errors),
    String(c.failovers),
  ];
  return `${fit(date, 10)}  ${fit(name, 10)}${cells.map((v, i) => ` ${fit(v, COLUMNS[i]![1], 'right')}`).join('')}`;
}

const SPARK = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const ASCII = ['.', ':', '-', '=', '+', '*', '#', '@'];

/** One cell per day, scaled to the busiest day of any account so rows compare; a blank is a day without use. */
function sparkline(values: number[], max: number, fancy: boolean): string {
  const ramp = fancy ? SPARK : ASCII;
  return values
    .map((v) => (v <= 0 || max <= 0 ? ' ' : ramp[Math.min(ramp.length - 1, Math.floor((v / max) * ramp.length))]!))
    .join('');
}

/**
 * The human view, at most `width` columns: a row per day and account, a total per account and overall, then
 * a chart of daily tokens (input + output), one row per account.
 */
export function formatUsageReport(report: UsageReport, opts: UsageFormatOptions): string {
  const width = opts.width ?? 80;
  if (report.days.length === 0) return `no requests in the last ${opts.days} day${opts.days === 1 ? '' : 's'}`;
  const lines: string[] = [];
  lines.push(`${fit('date', 10)}  ${fit('account', 10)}${COLUMNS.map(([h, w]) => ` ${fit(h, w, 'right')}`).join('')}`);
  const totals = new Map<string, { name: string; counts: Counts }>();
  for (const day of report.days) {
    day.accounts.forEach((a, i) => {
      lines.push(row(i === 0 ? day.date : '', a.name, a));
      const t = totals.get(a.id) ?? { name: a.name, counts: { ...EMPTY_COUNTS } };
      addCounts(t.counts, a);
      totals.set(a.id, t);
    });
  }
  lines.push('');
  const all = { ...EMPTY_COUNTS };
  [...totals.values()].forEach((t, i) => {
    lines.push(row(i === 0 ? 'total' : '', t.name, t.counts));
    addCounts(all, t.counts);
  });
  if (totals.size > 1) lines.push(row('', 'all', all));
  lines.push(`input includes cached; hit = cached ${opts.fancy ? '÷' : '/'} input; f/o = moved to another account`);

  // The chart: one cell per day of the period, the newest at the right.
  const cells = Math.max(1, Math.min(opts.days, width - 10 - 2 - 2 - 7));
  const dates = Array.from({ length: cells }, (_, i) => localDateBefore(opts.now, cells - 1 - i));
  const series = [...totals.keys()].map((id) =>
    dates.map((date) => {
      const a = report.days.find((d) => d.date === date)?.accounts.find((x) => x.id === id);
      return a ? a.inputTokens + a.outputTokens : 0;
    }),
  );
  const max = Math.max(0, ...series.flat());
  lines.push('', `daily tokens (input + output), ${dates[0]} to ${dates.at(-1)}`);
  [...totals.values()].forEach((t, i) => {
    const sum = series[i]!.reduce((x, y) => x + y, 0);
    const bar = sparkline(series[i]!, max, opts.fancy);
    lines.push(`${fit(t.name, 10)}  ${opts.color ? `\x1b[36m${bar}\x1b[39m` : bar}  ${formatCount(sum)}`);
  });
  return lines.map((l) => (l.includes('\x1b') ? l : truncate(l, width))).join('\n');
}
