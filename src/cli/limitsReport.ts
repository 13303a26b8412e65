import type { AccountView, StateView } from '../shared/schemas/api.js';
import type { LimitBucket, LimitWindow, WindowForecast } from '../shared/schemas/limits.js';
import {
  fit,
  formatBar,
  formatDuration,
  formatForecast,
  formatPercent,
  formatResetTime,
  formatWindowName,
  truncate,
} from '../shared/format.js';
import { wrapWords } from './output.js';

/** What `ccbridge limits` shows, per account and bucket: the `--json` shape and the input of the human view. */
export interface LimitsReport {
  routing: StateView['settings']['routing'];
  /** Where new requests go right now, and why when that is not the active account. */
  routeAccount: string | null;
  routeReason: string | null;
  accounts: LimitsReportAccount[];
}

export interface LimitsReportAccount {
  id: string;
  name: string;
  active: boolean;
  enabled: boolean;
  auth: AccountView['auth']['state'];
  plan: string | null;
  health: AccountView['health'];
  source: 'headers' | 'app-server' | 'persisted' | null;
  fetchedAt: string | null;
  stale: boolean;
  staleReason: string | null;
  credits: LimitBucket['credits'];
  /** Banked rate-limit resets (codex ≥ 0.169); null when unknown. ccbridge never spends them. */
  resetCredits: number | null;
  buckets: LimitsReportBucket[];
}

export interface LimitsReportBucket {
  limitId: string;
  limitName: string | null;
  reachedType: string | null;
  windows: LimitsReportWindow[];
}

export interface LimitsReportWindow {
  slot: 'primary' | 'secondary';
  usedPercent: number;
  windowMinutes: number | null;
  /** The window length in words: `5h`, `weekly`. */
  window: string;
  resetsAt: string | null;
  /** When the window runs out at the current pace; null when it does not before its reset (or nobody knows). */
  forecast: { exhaustsAt: string | null };
}

function reportWindows(bucket: LimitBucket, forecasts: readonly WindowForecast[]): LimitsReportWindow[] {
  const slots: Array<['primary' | 'secondary', LimitWindow | null]> = [
    ['primary', bucket.primary],
    ['secondary', bucket.secondary],
  ];
  return slots
    .filter((s): s is ['primary' | 'secondary', LimitWindow] => !!s[1])
    .map(([slot, w]) => ({
      slot,
      usedPercent: w.usedPercent,
      windowMinutes: w.windowMinutes,
      window: formatWindowName(w.windowMinutes),
      resetsAt: w.resetsAt === null ? null : new Date(w.resetsAt * 1000).toISOString(),
      forecast: { exhaustsAt: forecastAt(forecasts, bucket.limitId, slot) },
    }));
}

function forecastAt(forecasts: readonly WindowForecast[], limitId: string, slot: WindowForecast['slot']) {
  const f = forecasts.find((x) => x.limitId === limitId && x.slot === slot);
  return f ? new Date(f.exhaustsAt).toISOString() : null;
}

function reportAccount(a: AccountView): LimitsReportAccount {
  const limits = a.limits;
  return {
    id: a.id,
    name: a.name,
    active: a.isActive,
    enabled: a.enabled,
    auth: a.auth.state,
    // The id_token's plan when no limits read has named one yet.
    plan: limits?.planType ?? a.auth.planType,
    health: a.health,
    source: limits?.source ?? null,
    fetchedAt: limits?.fetchedAt ?? null,
    stale: limits?.stale ?? false,
    staleReason: limits?.staleReason ?? null,
    credits: limits?.buckets.find((b) => b.credits)?.credits ?? null,
    resetCredits: limits?.resetCredits ?? null,
    buckets: (limits?.buckets ?? []).map((b) => ({
      limitId: b.limitId,
      limitName: b.limitName,
      reachedType: b.reachedType,
      windows: reportWindows(b, limits?.forecasts ?? []),
    })),
  };
}

/** The report for every account, or for the accounts given (already resolved by id). */
export function buildLimitsReport(view: StateView, onlyIds?: ReadonlySet<string>): LimitsReport {
  const nameOf = (id: string | null) => view.accounts.find((a) => a.id === id)?.name ?? null;
  return {
    routing: view.settings.routing,
    routeAccount: nameOf(view.routeAccountId),
    routeReason: view.routeReason ?? null,
    accounts: view.accounts.filter((a) => !onlyIds || onlyIds.has(a.id)).map(reportAccount),
  };
}

function ago(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  return ms < 60_000 ? 'just now' : `${formatDuration(ms).split(' ')[0]} ago`;
}

const SOURCE_WORDS: Record<NonNullable<LimitsReportAccount['source']>, string> = {
  headers: 'from responses',
  'app-server': 'from codex',
  persisted: 'saved',
};

/** The account's heading, then its stale reason on lines of its own when it does not fit beside it. */
function accountHeading(a: LimitsReportAccount, now: number, width: number): string[] {
  const tags: string[] = [];
  if (a.active) tags.push('active');
  if (!a.enabled) tags.push('disabled');
  else if (a.auth !== 'connected' && a.auth !== 'expiring') tags.push(a.auth);
  if (a.plan) tags.push(a.plan);
  if (!a.stale) {
    if (a.fetchedAt && a.source) tags.push(`${SOURCE_WORDS[a.source]} ${ago(a.fetchedAt, now)}`);
    return [[a.name, ...tags].join(' · ')];
  }
  const stale = `stale: ${a.staleReason ?? 'old data'}`;
  const inline = [a.name, ...tags, stale].join(' · ');
  return inline.length <= width
    ? [inline]
    : [[a.name, ...tags, 'stale'].join(' · '), ...wrapWords(stale, width - 2).map((l) => `  ${l}`)];
}

function healthLine(a: LimitsReportAccount, now: number): string | null {
  const until = a.health.until ? Date.parse(a.health.until) : null;
  const when = until ? ` until ${formatResetTime(until, now)} (${formatDuration(until - now)})` : '';
  const why = a.health.reason ? `: ${a.health.reason}` : '';
  if (a.health.state === 'exhausted') return `out of quota${when}${why}`;
  if (a.health.state === 'cooldown') return `cooling down${when}${why}`;
  return null;
}

function resetText(w: LimitsReportWindow, now: number): string {
  if (!w.resetsAt) return 'reset time unknown';
  const at = Date.parse(w.resetsAt);
  if (at <= now) return `reset at ${formatResetTime(at, now)}`;
  return `resets ${formatResetTime(at, now)} (${formatDuration(at - now)})`;
}

/**
 * The human view, every line at most `width` columns:
 *
 *     work · active · pro · from responses 2m ago
 *       codex  5h      ██████████░░░░░░░░░   48%  resets 14:05 (2h 3m)
 *                        at this pace: out at 13:40 (in 1h 37m)
 *              weekly  ███░░░░░░░░░░░░░░░░   12%  resets Tue 09:00 (4d 3h)
 */
export function formatLimitsReport(report: LimitsReport, now: number, width = 80): string {
  if (report.accounts.length === 0) return 'no accounts yet; add one with `ccbridge add <name>`';
  const labelWidth = Math.min(
    12,
    Math.max(7, ...report.accounts.flatMap((a) => a.buckets.map((b) => (b.limitName ?? b.limitId).length))),
  );
  const barWidth = Math.max(6, Math.min(24, width - 63));
  const lines: string[] = [];
  const route = report.routeAccount
    ? `requests go to ${report.routeAccount}${report.routeReason ? ` (${report.routeReason})` : ''}`
    : 'no account to route to';
  lines.push(`routing ${report.routing} · ${route}`);
  for (const a of report.accounts) {
    lines.push('', ...accountHeading(a, now, width));
    const health = healthLine(a, now);
    if (health) lines.push(`  ${health}`);
    if (a.buckets.every((b) => b.windows.length === 0)) {
      lines.push(
        a.enabled && (a.auth === 'connected' || a.auth === 'expiring')
          ? '  no limits known yet; `ccbridge limits --refresh` reads them'
          : '  no limits known',
      );
    }
    for (const b of a.buckets) {
      b.windows.forEach((w, i) => {
        const label = i === 0 ? (b.limitName ?? b.limitId) : '';
        lines.push(
          `  ${fit(label, labelWidth)}  ${fit(w.window, 7)} ${formatBar(w.usedPercent, barWidth)} ${fit(formatPercent(w.usedPercent), 4, 'right')}  ${resetText(w, now)}`,
        );
        if (w.forecast.exhaustsAt)
          lines.push(`  ${' '.repeat(labelWidth + 10)}${formatForecast(Date.parse(w.forecast.exhaustsAt), now)}`);
      });
    }
    if (a.credits) {
      const credits = a.credits.unlimited
        ? 'unlimited'
        : a.credits.hasCredits
          ? (a.credits.balance ?? 'available')
          : 'none';
      lines.push(`  ${fit('credits', labelWidth)}  ${credits}`);
    }
    if (a.resetCredits !== null)
      lines.push(
        `  ${fit('banked', labelWidth)}  ${a.resetCredits} rate-limit reset credit${a.resetCredits === 1 ? '' : 's'}${a.resetCredits ? ' (ccbridge never spends them)' : ''}`,
      );
  }
  return lines.map((l) => truncate(l.trimEnd(), width)).join('\n');
}
