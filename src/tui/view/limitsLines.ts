import {
  formatBar,
  formatCountdown,
  formatDuration,
  formatForecast,
  formatPercent,
  formatResetTime,
  formatWindowName,
} from '../../shared/format.js';
import type { AccountView } from '../../shared/schemas/api.js';
import type { LimitBucket, LimitWindow, WindowForecast } from '../../shared/schemas/limits.js';
import { usageTone } from './accountColumns.js';
import { cell, oneLine, seg, type Line } from './line.js';

const LABEL = 10;
const WINDOW = 6;
const PCT = 4;

/** Every bucket of the selected account with a bar per window and a countdown that ticks with `now`. */
export function limitsLines(account: AccountView | null, now: number, width: number): Line[] {
  if (!account) return [[seg('no account selected', 'muted')]];
  const limits = account.limits;
  const lines: Line[] = [summaryLine(account, now)];
  if (!limits?.buckets.length) {
    const hint =
      account.auth.state === 'not-connected'
        ? 'connect the account (c) to see its limits'
        : 'no limit data yet; press l to refresh';
    lines.push([seg(hint, 'muted')]);
  }
  const reset = width >= 70 ? 'resets in ' : 'in ';
  for (const bucket of limits?.buckets ?? [])
    lines.push(...bucketLines(bucket, limits?.forecasts ?? [], now, width, reset));
  if (limits?.resetCredits !== undefined)
    lines.push([
      cell('banked', LABEL, 'accent', 'left', true),
      seg(` ${limits.resetCredits} rate-limit reset credit${limits.resetCredits === 1 ? '' : 's'}`, 'muted'),
    ]);
  if (limits?.stale) lines.push([seg(`! stale: ${oneLine(limits.staleReason ?? 'not refreshed recently')}`, 'warn')]);
  if (limits?.error) lines.push([seg(`! last refresh failed: ${oneLine(limits.error)}`, 'error')]);
  return lines;
}

function summaryLine(account: AccountView, now: number): Line {
  const limits = account.limits;
  const parts = [account.auth.email ?? 'not connected', account.auth.planType ?? limits?.planType ?? null];
  if (limits) parts.push(`updated ${formatDuration(now - Date.parse(limits.fetchedAt))} ago via ${limits.source}`);
  const summary = seg(parts.filter(Boolean).join(' · '), 'muted');
  // What the router knows leads the pane, worded as `ccbridge limits` words it.
  const { health } = account;
  if (health.state === 'ok') return [summary];
  const until = health.until
    ? ` until ${formatResetTime(Date.parse(health.until), now)} (${formatDuration(Math.max(0, Date.parse(health.until) - now))})`
    : '';
  return [seg(`${health.state === 'exhausted' ? 'out of quota' : 'cooling down'}${until} · `, 'error', true), summary];
}

function bucketLines(
  bucket: LimitBucket,
  forecasts: readonly WindowForecast[],
  now: number,
  width: number,
  reset: string,
): Line[] {
  const label = bucket.limitName ?? bucket.limitId;
  const lines: Line[] = [];
  for (const slot of ['primary', 'secondary'] as const) {
    const w = bucket[slot];
    if (!w) continue;
    lines.push(windowLine(lines.length ? '' : label, w, now, width, reset));
    const f = forecasts.find((x) => x.limitId === bucket.limitId && x.slot === slot);
    if (f) lines.push([cell('', LABEL + WINDOW + 2), seg(formatForecast(f.exhaustsAt, now), 'warn')]);
  }
  const windows = [bucket.primary, bucket.secondary].filter((w): w is LimitWindow => !!w);
  if (!windows.length) lines.push([cell(label, LABEL, 'accent', 'left', true), seg(' no windows reported', 'muted')]);
  const c = bucket.credits;
  if (c)
    lines.push([
      cell('', LABEL),
      seg(` credits: ${c.unlimited ? 'unlimited' : c.hasCredits ? (c.balance ?? 'yes') : 'none'}`, 'muted'),
    ]);
  if (bucket.reachedType) lines.push([cell('', LABEL), seg(` ! limit reached (${bucket.reachedType})`, 'error')]);
  return lines;
}

function windowLine(label: string, w: LimitWindow, now: number, width: number, reset: string): Line {
  const countdown = w.resetsAt === null ? '' : reset + formatCountdown(w.resetsAt * 1000 - now);
  const countdownWidth = reset.length + 10;
  // Whatever the fixed columns and their four separating spaces leave.
  const bar = Math.max(5, width - LABEL - WINDOW - PCT - countdownWidth - 4);
  return [
    cell(label, LABEL, 'accent', 'left', true),
    seg(' '),
    cell(formatWindowName(w.windowMinutes), WINDOW),
    seg(' '),
    seg(formatBar(w.usedPercent, bar), usageTone(w.usedPercent)),
    seg(' '),
    cell(formatPercent(w.usedPercent), PCT, undefined, 'right'),
    seg(' '),
    seg(countdown, 'muted'),
  ];
}
