import type { LimitsSnapshot } from '../shared/schemas/limits.js';
import type { Settings } from '../shared/schemas/settings.js';
import { formatDuration, formatResetTime } from '../shared/format.js';
import { bindingWindow, remainingPercent, snapshotExhaustion } from '../limits/exhaustion.js';

/**
 * The routing decision, pure: which accounts may serve a request, in the order to try them.
 *
 * - `manual`: the active account (else the default), always; nothing ever switches.
 * - `failover`: the active account while it can serve; else the next enabled, connected account with
 *   capacity. The active account wins again as soon as it can serve (its reset passed, its cool-down
 *   ended), because the user chose it.
 * - `balance`: a new session goes to the account with the most capacity left.
 * - `drain`: a new session goes to the account whose binding window (the fullest one) resets soonest, so
 *   quota that would reset unused is spent first. A session moves off its account early, while another
 *   has headroom, when the forecast says its account runs out within `DRAIN_MOVE_BEFORE_MS`.
 * - Sticky sessions: a session stays on the account it was served by while that account can serve
 *   (the upstream prompt cache is per account). In `failover` the active account still comes first;
 *   stickiness decides among the fallbacks, so a session does not hop between two backups.
 * - A pinned account (the request names one) is used alone.
 * Accounts cooling down after a 5xx are tried last rather than dropped: a flaky account beats a
 * refusal. When nothing can serve because every candidate is out of quota, the request is refused
 * with the earliest reset.
 */

export type RoutingMode = Settings['routing'];

export interface RouterAccount {
  id: string;
  name: string;
  enabled: boolean;
  /** Whether the account has a usable login (connected or expiring: the token keeper refreshes it). */
  auth: 'ok' | 'needs-login' | 'not-connected';
  /** Marks left by upstream answers (unix ms): a 429 `usage_limit_reached`, a 5xx cool-down. */
  exhaustedUntil: number | null;
  exhaustedReason: string | null;
  cooldownUntil: number | null;
  cooldownReason: string | null;
  limits: LimitsSnapshot | null;
  /** The earliest forecast exhaustion (unix ms) among the account's windows, if any (`forecastExhaustion`). */
  exhaustsAt?: number | null;
}

/** `drain` moves a session off an account forecast to run out within this long (before any 429 can happen). */
export const DRAIN_MOVE_BEFORE_MS = 5 * 60_000;

export type Availability =
  | { state: 'available'; remaining: number | null }
  | { state: 'cooldown'; until: number; reason: string }
  | { state: 'exhausted'; until: number; reason: string }
  | { state: 'disabled' | 'needs-login' | 'not-connected' };

/** Whether an account can take a request right now, and if not, why and until when. */
export function accountAvailability(account: RouterAccount, now: number): Availability {
  if (!account.enabled) return { state: 'disabled' };
  if (account.auth !== 'ok') return { state: account.auth };
  const marked =
    account.exhaustedUntil !== null && account.exhaustedUntil > now
      ? { until: account.exhaustedUntil, reason: account.exhaustedReason ?? 'usage limit reached' }
      : null;
  const seen = snapshotExhaustion(account.limits, now);
  const exhausted = marked && seen ? (marked.until >= seen.until ? marked : seen) : (marked ?? seen);
  if (exhausted) return { state: 'exhausted', ...exhausted };
  if (account.cooldownUntil !== null && account.cooldownUntil > now) {
    return { state: 'cooldown', until: account.cooldownUntil, reason: account.cooldownReason ?? 'upstream error' };
  }
  return { state: 'available', remaining: remainingPercent(account.limits) };
}

/** Why an account cannot serve, in words for events and errors. */
export function describeAvailability(name: string, a: Availability, now: number): string {
  switch (a.state) {
    case 'available':
      return `${name} is available`;
    case 'exhausted':
      return `${name} is out of quota until ${formatResetTime(a.until, now)} (${a.reason})`;
    case 'cooldown':
      return `${name} is cooling down for ${formatDuration(a.until - now)} (${a.reason})`;
    case 'disabled':
      return `${name} is disabled`;
    case 'needs-login':
      return `${name} needs a new login`;
    case 'not-connected':
      return `${name} is not connected`;
  }
}

export interface RouteInput {
  mode: RoutingMode;
  /** In registry order. */
  accounts: readonly RouterAccount[];
  activeAccountId: string | null;
  defaultAccountId: string | null;
  /** The account this request's session was last served by, if any. */
  stickyAccountId: string | null;
  /** An account the request itself asks for. */
  pinnedAccountId?: string | null;
  now: number;
}

export interface RouteSwitch {
  from: string;
  to: string;
  why: string;
}

export type RouteDecision =
  | {
      kind: 'route';
      /** Account ids in the order to try them. */
      candidates: string[];
      /** Set when the first candidate is not where this request would have gone (the session's or the active account). */
      switched: RouteSwitch | null;
    }
  | {
      kind: 'refused';
      reason: 'exhausted' | 'no_account';
      /** The account with the earliest reset, and that reset (unix ms). */
      accountId: string | null;
      resetsAt: number | null;
      retryAfterSeconds: number | null;
      message: string;
    };

/** The account the user chose: the active one, else the default, if enabled. */
export function preferredAccount(
  input: Pick<RouteInput, 'accounts' | 'activeAccountId' | 'defaultAccountId'>,
): RouterAccount | null {
  const byId = (id: string | null) => (id ? input.accounts.find((a) => a.id === id && a.enabled) : undefined);
  return byId(input.activeAccountId) ?? byId(input.defaultAccountId) ?? null;
}

export function routeRequest(input: RouteInput): RouteDecision {
  const { accounts, now } = input;
  const preferred = preferredAccount(input);
  const pinned = input.pinnedAccountId ? accounts.find((a) => a.id === input.pinnedAccountId) : undefined;
  if (pinned) return { kind: 'route', candidates: [pinned.id], switched: null };
  if (input.mode === 'manual')
    return preferred ? { kind: 'route', candidates: [preferred.id], switched: null } : noAccount(accounts);

  const states = new Map(accounts.map((a) => [a.id, accountAvailability(a, now)]));
  const stateOf = (a: RouterAccount) => states.get(a.id)!;
  const sticky = accounts.find((a) => a.id === input.stickyAccountId && stateOf(a).state === 'available');
  const available = accounts.filter((a) => stateOf(a).state === 'available');

  const leaving = (a: RouterAccount) =>
    input.mode === 'drain' && a.exhaustsAt != null && a.exhaustsAt - now <= DRAIN_MOVE_BEFORE_MS;
  let ordered: RouterAccount[];
  if (input.mode === 'drain') {
    // Unknown reset counts as last: an account whose limits are unknown is spent after the known ones.
    const resetOf = (a: RouterAccount) => {
      const w = bindingWindow(a.limits);
      return w?.resetsAt != null ? w.resetsAt * 1000 : Number.POSITIVE_INFINITY;
    };
    const rank = [...available].sort(
      (a, b) =>
        Number(leaving(a)) - Number(leaving(b)) ||
        resetOf(a) - resetOf(b) ||
        Number(b === preferred) - Number(a === preferred),
    );
    const stays = sticky && !(leaving(sticky) && rank.some((a) => !leaving(a)));
    ordered = unique([stays ? sticky : undefined, ...rank]);
  } else if (input.mode === 'failover') {
    ordered = unique([
      preferred && stateOf(preferred).state === 'available' ? preferred : undefined,
      sticky,
      ...available,
    ]);
  } else {
    const remaining = (a: RouterAccount) => {
      const s = stateOf(a);
      // Unknown capacity counts as full: its first answer's headers will tell.
      return s.state === 'available' ? (s.remaining ?? 100) : -1;
    };
    const rank = [...available].sort(
      (a, b) => remaining(b) - remaining(a) || Number(b === preferred) - Number(a === preferred),
    );
    ordered = unique([sticky, ...rank]);
  }
  const cooling = accounts
    .filter((a) => stateOf(a).state === 'cooldown')
    .sort((a, b) => (stateOf(a) as { until: number }).until - (stateOf(b) as { until: number }).until);
  ordered = unique([...ordered, ...cooling]);

  if (ordered.length === 0) return refusal(input, states, preferred);

  const first = ordered[0]!;
  const previous =
    accounts.find((a) => a.id === input.stickyAccountId) ??
    (input.mode === 'failover' || input.mode === 'drain' ? preferred : null);
  let switched: RouteSwitch | null = null;
  if (previous && previous.id !== first.id) {
    const was = stateOf(previous);
    const why =
      was.state !== 'available'
        ? describeAvailability(previous.name, was, now)
        : leaving(previous)
          ? `${previous.name} runs out at ${formatResetTime(previous.exhaustsAt!, now)} at this pace`
          : first === preferred
            ? `back to the active account ${first.name}`
            : input.mode === 'drain'
              ? `${first.name}'s quota resets sooner`
              : `${previous.name} has less capacity left`;
    switched = { from: previous.id, to: first.id, why };
  }
  return { kind: 'route', candidates: ordered.map((a) => a.id), switched };
}

function unique(list: Array<RouterAccount | null | undefined>): RouterAccount[] {
  const seen = new Map<string, RouterAccount>();
  for (const a of list) if (a && !seen.has(a.id)) seen.set(a.id, a);
  return [...seen.values()];
}

function noAccount(accounts: readonly RouterAccount[]): RouteDecision {
  const message =
    accounts.length === 0
      ? 'no account yet; add one with `ccbridge add <name>` and `ccbridge connect <name>`'
      : accounts.some((a) => a.enabled)
        ? 'no active account; pick one with `ccbridge use <account>`'
        : 'every account is disabled; enable one with `ccbridge enable <account>`';
  return { kind: 'refused', reason: 'no_account', accountId: null, resetsAt: null, retryAfterSeconds: null, message };
}

/**
 * Nothing can serve. Out of quota everywhere → a refusal with the earliest reset. Otherwise (not
 * connected, needs login) the preferred account is still tried, so the bridge answers with its own
 * error that names the fix.
 */
function refusal(input: RouteInput, states: Map<string, Availability>, preferred: RouterAccount | null): RouteDecision {
  const exhausted = input.accounts
    .map((a) => ({ account: a, state: states.get(a.id)! }))
    .filter(
      (x): x is { account: RouterAccount; state: Extract<Availability, { state: 'exhausted' }> } =>
        x.state.state === 'exhausted',
    )
    .sort((a, b) => a.state.until - b.state.until);
  const earliest = exhausted[0];
  if (!earliest)
    return preferred ? { kind: 'route', candidates: [preferred.id], switched: null } : noAccount(input.accounts);
  const { account, state } = earliest;
  const when = `${formatResetTime(state.until, input.now)} (in ${formatDuration(state.until - input.now)}; ${state.reason})`;
  return {
    kind: 'refused',
    reason: 'exhausted',
    accountId: account.id,
    resetsAt: state.until,
    retryAfterSeconds: Math.max(1, Math.ceil((state.until - input.now) / 1000)),
    message:
      exhausted.length === 1
        ? `account ${account.name} is out of Codex quota until ${when}`
        : `all ${exhausted.length} connected accounts are out of Codex quota; the first to reset is ${account.name} at ${when}`,
  };
}
