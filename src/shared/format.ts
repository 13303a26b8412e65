/** Human formatting shared by the CLI and the TUI. Pure functions. */

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/**
 * A fixed-width usage bar for a 0–100 percentage. It is full only at 100% and shows at least one
 * cell for any usage above zero, so "almost out" and "barely used" never look like their extremes.
 */
export function formatBar(
  percent: number,
  width: number,
  chars: { full: string; empty: string } = { full: '█', empty: '░' },
): string {
  if (width <= 0) return '';
  const p = Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
  let cells = Math.round((p / 100) * width);
  if (p > 0 && cells === 0) cells = 1;
  if (p < 100 && cells === width) cells = width - 1;
  return chars.full.repeat(cells) + chars.empty.repeat(width - cells);
}

/** Rounded percentage; a non-zero share below 1% reads "<1%" rather than a misleading "0%". */
export function formatPercent(percent: number): string {
  if (percent > 0 && percent < 0.5) return '<1%';
  return `${Math.round(percent)}%`;
}

/**
 * Time left until a deadline, zero-padded so a ticking countdown keeps its width:
 * `4d 03h`, `2h 05m 09s`, `5m 09s`, `9s`; `now` once it has passed.
 */
export function formatCountdown(ms: number): string {
  if (ms <= 0) return 'now';
  const s = Math.ceil(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (d) return `${d}d ${two(h)}h`;
  if (h) return `${h}h ${two(m)}m ${two(sec)}s`;
  if (m) return `${m}m ${two(sec)}s`;
  return `${sec}s`;
}

/** A rate-limit window length: 300 → `5h`, 10080 → `7d`, 90 → `1h30m`; unknown → `?`. */
export function formatWindow(minutes: number | null): string {
  if (minutes === null || !Number.isFinite(minutes) || minutes <= 0) return '?';
  const m = Math.round(minutes);
  if (m % 1440 === 0) return `${m / 1440}d`;
  if (m % 60 === 0) return `${m / 60}h`;
  if (m > 60) return `${Math.floor(m / 60)}h${m % 60}m`;
  return `${m}m`;
}

/** A window length in words for limit tables: 300 → `5h`, 1440 → `daily`, 10080 → `weekly`, 30 days → `monthly`. */
export function formatWindowName(minutes: number | null): string {
  const named: Record<number, string> = { 1440: 'daily', 10080: 'weekly', 43200: 'monthly' };
  return (minutes !== null && named[Math.round(minutes)]) || formatWindow(minutes);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * A future instant in local time, as precise as its distance needs: `14:05` today, `Tue 14:05`
 * within the week, `2025-12-03 14:05` beyond.
 */
export function formatResetTime(ms: number, now: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '?';
  const two = (n: number) => String(n).padStart(2, '0');
  const clock = `${two(d.getHours())}:${two(d.getMinutes())}`;
  const today = new Date(now);
  if (d.toDateString() === today.toDateString()) return clock;
  if (ms > now && ms - now < 6 * 86_400_000) return `${WEEKDAYS[d.getDay()]} ${clock}`;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${clock}`;
}

/** A window's forecast in words: `at this pace: out at 16:40 (in 1h 12m)`. */
export function formatForecast(exhaustsAt: number, now: number): string {
  return `at this pace: out at ${formatResetTime(exhaustsAt, now)} (in ${formatDuration(exhaustsAt - now)})`;
}

/** Compact counts for status lines: 950, 1.2k, 12k, 3.4M. */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  const scaled = (value: number, unit: string) =>
    `${value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value)}${unit}`;
  if (abs >= 999_500) return scaled(n / 1_000_000, 'M');
  if (abs >= 1000) return scaled(n / 1000, 'k');
  return String(Math.round(n));
}

/** Wall-clock `HH:MM:SS` of an ISO time in the local time zone (TZ). */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '--:--:--';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Shortens `text` to at most `width` characters, marking the cut with `…`. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text];
  if (chars.length <= width) return text;
  return chars.slice(0, width - 1).join('') + '…';
}

/** Exactly `width` characters: truncated, then padded (left- or right-aligned). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - [...cut].length));
  return align === 'left' ? cut + pad : pad + cut;
}

/**
 * Joins as many parts as fit in `width`, dropping the lowest-priority ones first (higher number =
 * dropped earlier; ties drop from the end) and keeping the order of the rest; truncates if even
 * the most important part is too wide.
 */
export function joinFitting(parts: Array<{ text: string; priority: number }>, width: number, separator = '  '): string {
  const kept = parts.filter((p) => p.text).map((p, index) => ({ ...p, index }));
  const length = () => [...kept.map((p) => p.text).join(separator)].length;
  while (kept.length > 1 && length() > width) {
    let drop = 0;
    kept.forEach((p, i) => {
      if (p.priority >= kept[drop]!.priority) drop = i;
    });
    kept.splice(drop, 1);
  }
  return truncate(kept.map((p) => p.text).join(separator), width);
}

/** "until 16:40 (2h 5m)", or '' when the reset time is unknown. */
export function untilText(iso: string | null, now = Date.now()): string {
  if (!iso) return '';
  const at = Date.parse(iso);
  return ` until ${formatResetTime(at, now)} (${formatDuration(Math.max(0, at - now))})`;
}
