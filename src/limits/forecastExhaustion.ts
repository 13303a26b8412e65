/**
 * When a limit window runs out at the current pace. Pure: the limits keeper feeds it the used percent it
 * saw for one window over time (passive headers and active reads alike) and shows what comes back.
 */

/** One reading of a window's used percent at `at` (unix ms). */
export interface UsageSample {
  at: number;
  usedPercent: number;
}

/** Only the recent pace counts: an hour-old burst says nothing about now. */
export const FORECAST_LOOKBACK_MS = 30 * 60_000;
/** A forecast needs this many rises of the used percent… */
export const MIN_RISES = 5;
/** …spread over at least this long, so one burst of responses does not extrapolate to a wild slope. */
export const MIN_SPAN_MS = 10_000;

/**
 * The instant (unix ms) the window reaches 100 % if it keeps rising as it did over the last
 * `FORECAST_LOOKBACK_MS`, or null when that is not meaningful: fewer than `MIN_RISES` rising samples
 * over `MIN_SPAN_MS`, a flat or falling pace, a window already full, or a reset that comes first
 * (`resetsAt`, unix ms) so the window never runs out.
 */
export function forecastExhaustion(
  samples: readonly UsageSample[],
  resetsAt: number | null,
  now: number,
): number | null {
  // Only samples since the last drop: a drop is the window resetting, and the old series is another window's.
  let recent = samples.filter((s) => s.at >= now - FORECAST_LOOKBACK_MS && s.at <= now);
  for (let i = recent.length - 1; i > 0; i--) {
    if (recent[i]!.usedPercent < recent[i - 1]!.usedPercent) {
      recent = recent.slice(i);
      break;
    }
  }
  const last = recent.at(-1);
  if (!last || last.usedPercent >= 100) return null;
  let rises = 0;
  for (let i = 1; i < recent.length; i++) if (recent[i]!.usedPercent > recent[i - 1]!.usedPercent) rises++;
  if (rises < MIN_RISES || last.at - recent[0]!.at < MIN_SPAN_MS) return null;
  // Readings come with requests: a quiet stretch since the last one is usage standing still, so it slows the pace.
  const slope = leastSquaresSlope(now > last.at ? [...recent, { at: now, usedPercent: last.usedPercent }] : recent);
  if (!(slope > 0)) return null;
  const at = Math.round(now + (100 - last.usedPercent) / slope);
  if (resetsAt !== null && at >= resetsAt) return null;
  return at;
}

/** Percent per millisecond, fitted over every sample so a single jump does not set the pace. */
function leastSquaresSlope(samples: readonly UsageSample[]): number {
  const t0 = samples[0]!.at;
  const n = samples.length;
  let sx = 0;
  let sy = 0;
  for (const s of samples) {
    sx += s.at - t0;
    sy += s.usedPercent;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    const dx = s.at - t0 - mx;
    num += dx * (s.usedPercent - my);
    den += dx * dx;
  }
  return den > 0 ? num / den : 0;
}

/** Keeps a window's series short: samples older than the lookback, and same-instant repeats, go. */
export function addSample(series: UsageSample[], sample: UsageSample, max = 200): UsageSample[] {
  const last = series.at(-1);
  if (last && last.at === sample.at) series[series.length - 1] = sample;
  else series.push(sample);
  const cutoff = sample.at - FORECAST_LOOKBACK_MS;
  let drop = 0;
  while (drop < series.length - 1 && series[drop]!.at < cutoff) drop++;
  if (series.length - drop > max) drop = series.length - max;
  return drop > 0 ? series.slice(drop) : series;
}
