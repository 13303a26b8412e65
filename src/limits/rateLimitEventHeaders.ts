/**
 * The WebSocket transport's `codex.rate_limits` event (codex.md §8, codex-api `responses_websocket.rs`) as the
 * `x-codex-*` headers the same snapshot arrives in over HTTP, so one parser (parseLimitHeaders) reads both:
 * `{"type":"codex.rate_limits","plan_type":…,"rate_limits":{"primary":{"used_percent","window_minutes","reset_at"},
 * "secondary":…},"credits":{"has_credits","unlimited","balance"},"metered_limit_name"|"limit_name":…}`.
 */
export function rateLimitEventHeaders(ev: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  const name = [ev.metered_limit_name, ev.limit_name].find((n): n is string => typeof n === 'string' && n !== '');
  const prefix = `x-${(name ?? 'codex').trim().toLowerCase().replace(/_/g, '-')}`;
  const limits = (ev.rate_limits ?? {}) as Record<string, unknown>;
  for (const slot of ['primary', 'secondary'] as const) {
    const w = limits[slot] as Record<string, unknown> | null | undefined;
    if (!w || typeof w.used_percent !== 'number') continue;
    headers[`${prefix}-${slot}-used-percent`] = String(w.used_percent);
    if (typeof w.window_minutes === 'number') headers[`${prefix}-${slot}-window-minutes`] = String(w.window_minutes);
    if (typeof w.reset_at === 'number') headers[`${prefix}-${slot}-reset-at`] = String(w.reset_at);
  }
  const credits = ev.credits as Record<string, unknown> | null | undefined;
  if (credits && typeof credits.has_credits === 'boolean' && typeof credits.unlimited === 'boolean') {
    headers['x-codex-credits-has-credits'] = String(credits.has_credits);
    headers['x-codex-credits-unlimited'] = String(credits.unlimited);
    if (credits.balance !== undefined && credits.balance !== null)
      headers['x-codex-credits-balance'] = String(credits.balance);
  }
  if (name) headers[`${prefix}-limit-name`] = name;
  return headers;
}
