import type { AccountView, StateView } from '../../shared/schemas/api.js';
import type { LoginSession } from '../../shared/schemas/auth.js';
import type { CcbEvent } from '../../shared/schemas/events.js';
import type { LimitBucket, LimitWindow } from '../../shared/schemas/limits.js';
import type { EventFilter, TuiState } from './tuiState.js';

/** Pure reads over the TUI state, shared by the reducer, the key map and the panes. */

export function selectedAccount(state: TuiState): AccountView | null {
  return state.view?.accounts.find((a) => a.id === state.selectedId) ?? null;
}

export function accountById(view: StateView | null, id: string): AccountView | null {
  return view?.accounts.find((a) => a.id === id) ?? null;
}

/**
 * The events the pane shows: of the chosen category, and holding every word of `query` in their level,
 * category or text, in any case ("warn proxy 429" finds the warnings among requests that got a 429).
 */
export function filterEvents(events: readonly CcbEvent[], filter: EventFilter, query = ''): CcbEvent[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (filter === 'all' && !words.length) return [...events];
  return events.filter(
    (e) =>
      (filter === 'all' || e.category === filter) &&
      (!words.length || words.every((w) => `${e.level} ${e.category} ${e.message}`.toLowerCase().includes(w))),
  );
}

/** The events the pane shows for the state's category and query. */
export function shownEvents(state: TuiState, events: readonly CcbEvent[] = state.events): CcbEvent[] {
  return filterEvents(events, state.eventFilter, state.eventQuery);
}

const FINISHED: ReadonlySet<LoginSession['state']> = new Set(['succeeded', 'failed', 'cancelled', 'timed_out']);

export function isLoginFinished(session: LoginSession): boolean {
  return FINISHED.has(session.state);
}

/** The URL a running login needs the user to open (sign-in page or device page), shown on a line of its own. */
export function loginUrl(session: LoginSession | null): string | null {
  if (!session || isLoginFinished(session)) return null;
  const url = session.verificationUrl ?? session.authUrl;
  // From the daemon, shown raw and opened: no control characters or spaces in it.
  return url ? url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '') : null;
}

/** The newest login session of an account, as the daemon reports it. */
export function latestLoginSession(view: StateView | null, accountId: string): LoginSession | null {
  const sessions = (view?.loginSessions ?? []).filter((s) => s.accountId === accountId);
  return sessions.reduce<LoginSession | null>(
    (latest, s) => (!latest || s.startedAt >= latest.startedAt ? s : latest),
    null,
  );
}

/** The session the login panel shows: the daemon's newest for the account, else the one this TUI started. */
export function shownLoginSession(state: TuiState): LoginSession | null {
  const mode = state.mode;
  if (mode.kind !== 'login' || !accountById(state.view, mode.accountId)) return null;
  return latestLoginSession(state.view, mode.accountId) ?? mode.session;
}

export type Tone = 'ok' | 'warn' | 'error' | 'muted';

/** The one-word state of an account row, most urgent first. */
export function accountState(account: AccountView, view: StateView | null): { label: string; tone: Tone } {
  const login = latestLoginSession(view, account.id);
  if (login && !isLoginFinished(login)) return { label: 'logging in', tone: 'warn' };
  if (!account.enabled) return { label: 'disabled', tone: 'muted' };
  if (account.health.state === 'exhausted') return { label: 'exhausted', tone: 'error' };
  if (account.health.state === 'cooldown') return { label: 'cooldown', tone: 'warn' };
  switch (account.auth.state) {
    case 'connected':
      return { label: 'connected', tone: 'ok' };
    case 'expiring':
      return { label: 'expiring', tone: 'warn' };
    case 'not-connected':
      return { label: 'not connected', tone: 'muted' };
    default:
      return { label: account.auth.state, tone: 'error' };
  }
}

/** Effective fast mode in a few characters; `~` marks a value inherited from the global setting. */
export function fastBadge(account: AccountView): string {
  return `${account.effectiveFastMode ? 'on' : 'off'}${account.fastModeSource === 'global' ? '~' : ''}`;
}

/** The bucket the account's requests count against (the router's own rule). */
export { activeBucket as headlineBucket } from '../../limits/exhaustion.js';

/** The short (5h) and long (weekly) windows of a bucket, whichever slot codex put them in. */
export function shortAndLongWindows(bucket: LimitBucket | null): {
  short: LimitWindow | null;
  long: LimitWindow | null;
} {
  const windows = [bucket?.primary, bucket?.secondary].filter((w): w is LimitWindow => !!w);
  if (windows.length < 2) {
    const only = windows[0] ?? null;
    // A lone window longer than a day is the weekly one.
    return only && (only.windowMinutes ?? 0) > 1440 ? { short: null, long: only } : { short: only, long: null };
  }
  const [a, b] = windows as [LimitWindow, LimitWindow];
  return (a.windowMinutes ?? 0) <= (b.windowMinutes ?? 0) ? { short: a, long: b } : { short: b, long: a };
}
