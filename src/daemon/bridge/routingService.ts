import { AnthropicApiError } from '../../translate/anthropicError.js';
import type { UpstreamFailure } from '../../translate/upstreamErrors.js';
import { effectiveFastMode, findAccount } from '../../core/accounts.js';
import {
  accountAvailability,
  DRAIN_MOVE_BEFORE_MS,
  routeRequest,
  type RouteDecision,
  type RouterAccount,
  type RouteSwitch,
} from '../../core/router.js';
import { StickySessions } from '../../core/stickySessions.js';
import { activeBucket, usageLimitExhaustion } from '../../limits/exhaustion.js';
import type { AccountView } from '../../shared/schemas/api.js';
import type { Account, StateFile } from '../../shared/schemas/state.js';
import { AccountHealthBook, COOLDOWN_MS } from './accountHealthBook.js';
import type { RouteResult } from './bridgeDeps.js';
import { AUTH_READ_MAX_AGE_MS, authFilesForgotten } from '../../codex/authFile.js';
import type { CodexService } from '../control/codexService.js';
import type { Daemon } from '../daemon.js';
import type { LimitsKeeper } from '../control/limitsKeeper.js';

export interface RoutingService {
  /** `BridgeDeps.route`: ordered candidates, or a refusal (429 with the earliest reset). */
  route(ctx: { sessionKey: string | null; pinnedAccount: string | null }): RouteResult;
  /** An upstream attempt failed before any byte reached the client; `next` is tried after it, if any. */
  onAttemptFailed(accountId: string, failure: UpstreamFailure, next: string | null): void;
  /** An upstream attempt committed: the account serves, and the session stays with it. */
  onCommitted(accountId: string, sessionKey: string | null): void;
  health: AccountHealthBook;
}

/** How the router should see a login: the token keeper refreshes expiring and expired tokens itself. */
function routerAuth(codex: Pick<CodexService, 'routingAuth'>, account: Account): RouterAccount['auth'] {
  if (account.needsLogin) return 'needs-login';
  const state = codex.routingAuth(account);
  return state === 'not-connected' || state === 'needs-login' ? state : 'ok';
}

/**
 * Everything the router reads, gathered once, and the decisions made from it. Gathering it visits every account
 * (its login, limits, forecasts and marks), so it is done again only when something it was made from moved:
 * the state, the limits keeper, the health book, a login ccbridge changed, or the clock reaching a moment at which
 * an account's availability flips by itself. Logins changed behind ccbridge's back are looked at again after
 * AUTH_READ_MAX_AGE_MS, as before. A request then costs a lookup, whatever the number of accounts.
 */
interface RouteBook {
  state: StateFile;
  limitsVersion: number;
  healthVersion: number;
  authVersion: number;
  validUntil: number;
  accounts: RouterAccount[];
  /** Decisions (and their candidates) by sticky account, for requests that pin none. */
  routes: Map<string | null, { decision: RouteDecision; result: RouteResult }>;
}

/** The first moment after `now` at which an account's availability changes without anything happening. */
function nextFlip(accounts: readonly RouterAccount[], mode: StateFile['settings']['routing'], now: number): number {
  let next = Number.POSITIVE_INFINITY;
  for (const a of accounts) {
    const state = accountAvailability(a, now);
    if (state.state === 'exhausted' || state.state === 'cooldown') next = Math.min(next, state.until);
    // drain moves sessions off an account once its forecast exhaustion is near.
    const leaves = a.exhaustsAt != null ? a.exhaustsAt - DRAIN_MOVE_BEFORE_MS : null;
    if (mode === 'drain' && leaves !== null && leaves > now) next = Math.min(next, leaves);
  }
  return next;
}

/**
 * The router wired into the daemon: accounts, logins, limits and health marks in; candidates for the
 * bridge out. Feeds the state view (health, where requests go and why) and logs every switch as a
 * `proxy` event, once per change rather than once per request.
 */
export function startRouting(
  daemon: Daemon,
  limits: LimitsKeeper,
  codex: Pick<CodexService, 'markNeedsLogin' | 'routingAuth'>,
  now: () => number = Date.now,
): RoutingService {
  const health = new AccountHealthBook();
  const sticky = new StickySessions();
  /** The last switch announced per session (`*` = requests without one), so a lasting switch is logged once. */
  const announced = new Map<string, RouteSwitch>();

  /** What the limits keeper and the health book know about an account's quota and upstream errors. */
  const marks = (id: string) => {
    const ex = limits.exhaustion(id);
    const bucket = activeBucket(limits.get(id));
    const forecasts = limits.forecasts(id).filter((f) => f.limitId === bucket?.limitId);
    return {
      limits: limits.get(id),
      exhaustsAt: forecasts.length ? Math.min(...forecasts.map((f) => f.exhaustsAt)) : null,
      exhaustedUntil: ex?.until ?? null,
      exhaustedReason: ex?.reason ?? null,
      ...health.get(id),
    };
  };
  const routerAccounts = (state: StateFile): RouterAccount[] =>
    state.accounts.map((a) => ({
      id: a.id,
      name: a.name,
      enabled: a.enabled,
      auth: routerAuth(codex, a),
      ...marks(a.id),
    }));

  let cached: RouteBook | null = null;
  const book = (): RouteBook => {
    const state = daemon.store.get();
    const t = now();
    if (
      cached &&
      cached.state === state &&
      cached.limitsVersion === limits.version &&
      cached.healthVersion === health.version &&
      cached.authVersion === authFilesForgotten() &&
      t < cached.validUntil
    )
      return cached;
    // The versions are read before the accounts: a change while gathering makes the next request gather again.
    const versions = {
      limitsVersion: limits.version,
      healthVersion: health.version,
      authVersion: authFilesForgotten(),
    };
    const accounts = routerAccounts(state);
    const validUntil = Math.min(t + AUTH_READ_MAX_AGE_MS, nextFlip(accounts, state.settings.routing, t));
    cached = { state, ...versions, validUntil, accounts, routes: new Map() };
    return cached;
  };

  const decide = (
    b: Pick<RouteBook, 'state' | 'accounts'>,
    stickyAccountId: string | null,
    pinnedAccountId: string | null,
  ): RouteDecision =>
    routeRequest({
      mode: b.state.settings.routing,
      accounts: b.accounts,
      activeAccountId: b.state.activeAccountId,
      defaultAccountId: b.state.defaultAccountId,
      stickyAccountId,
      pinnedAccountId,
      now: now(),
    });

  /** The candidates in the bridge's terms: names, models, fast mode. */
  const routeResult = (state: StateFile, decision: RouteDecision): RouteResult => {
    if (decision.kind === 'refused') {
      // A 4xx: Claude Code retries a 5xx ten times and calls it temporary; this needs the user (`ccbridge use`/`connect`).
      if (decision.reason === 'no_account')
        return {
          kind: 'refused',
          reason: 'no_account',
          error: new AnthropicApiError('authentication_error', decision.message),
        };
      return {
        kind: 'refused',
        reason: 'exhausted',
        error: new AnthropicApiError('rate_limit_error', decision.message, {
          headers: { 'retry-after': String(decision.retryAfterSeconds), 'x-should-retry': 'false' },
        }),
      };
    }
    const byId = new Map(state.accounts.map((a) => [a.id, a]));
    const candidates = decision.candidates.map((id) => {
      const account = byId.get(id)!;
      return {
        accountId: id,
        accountName: account.name,
        model: account.model,
        fastMode: effectiveFastMode(state, account).value,
      };
    });
    return { kind: 'route', candidates };
  };

  /**
   * The decision for requests that pin no account, from the book. A refusal is made afresh each time: its
   * retry-after counts down (it costs a pass over the book's accounts, not a gathering).
   */
  const routeFor = (stickyAccountId: string | null): { decision: RouteDecision; result: RouteResult } => {
    const b = book();
    const known = b.routes.get(stickyAccountId);
    if (known) return known;
    const decision = decide(b, stickyAccountId, null);
    const made = { decision, result: routeResult(b.state, decision) };
    if (decision.kind === 'route') b.routes.set(stickyAccountId, made);
    return made;
  };

  const nameOf = (state: StateFile, id: string) => state.accounts.find((a) => a.id === id)?.name ?? id;

  const logSwitch = (state: StateFile, key: string, switched: RouteSwitch) => {
    daemon.log({
      level: state.settings.routing === 'balance' ? 'debug' : 'info',
      category: 'proxy',
      accountId: switched.to,
      message: `routing ${key === '*' ? 'moved' : 'a session moved'} from ${nameOf(state, switched.from)} to ${nameOf(state, switched.to)}: ${switched.why}`,
      data: { from: switched.from, to: switched.to, why: switched.why },
    });
    daemon.notifyChange();
  };

  const announce = (state: StateFile, key: string, decision: RouteDecision) => {
    const switched = decision.kind === 'route' ? decision.switched : null;
    const last = announced.get(key);
    if (!switched) {
      announced.delete(key);
      // Requests without a session of their own are measured against the active account: no switch after one
      // means they went back to it (its reset passed, its cool-down ended), which is a switch too.
      const to = decision.kind === 'route' ? decision.candidates[0] : undefined;
      const chosen = to === state.activeAccountId ? 'active' : to === state.defaultAccountId ? 'default' : null;
      if (key === '*' && last && to && chosen && to !== last.to)
        logSwitch(state, key, { from: last.to, to, why: `back to the ${chosen} account ${nameOf(state, to)}` });
      return;
    }
    if (last?.from === switched.from && last.to === switched.to) return;
    if (announced.size > 10_000) announced.clear();
    announced.set(key, switched);
    logSwitch(state, key, switched);
  };

  daemon.providers.health = (account): AccountView['health'] => {
    // Login and enablement show elsewhere in the view; health is only about quota and upstream errors.
    const a = accountAvailability(
      { id: account.id, name: account.name, enabled: true, auth: 'ok', ...marks(account.id) },
      now(),
    );
    if (a.state === 'exhausted' || a.state === 'cooldown')
      return { state: a.state, until: new Date(a.until).toISOString(), reason: a.reason };
    return { state: 'ok', until: null, reason: null };
  };
  // The view asks about the state it holds: the store's current one in practice, which the book is made from.
  const viewDecision = (state: StateFile) =>
    state === daemon.store.get()
      ? routeFor(null).decision
      : decide({ state, accounts: routerAccounts(state) }, null, null);
  daemon.providers.routeAccountId = (state) => {
    const d = viewDecision(state);
    return d.kind === 'route' ? (d.candidates[0] ?? null) : null;
  };
  daemon.providers.routeReason = (state) => {
    const d = viewDecision(state);
    if (d.kind === 'refused') return d.message;
    return d.switched?.why ?? null;
  };
  daemon.onAccountRemoval((id) => {
    health.clear(id);
    sticky.forgetAccount(id);
    limits.forget(id);
  });

  return {
    health,
    route({ sessionKey, pinnedAccount }) {
      const stickyId = sticky.get(sessionKey, now());
      if (pinnedAccount) {
        // Pinned requests (`ccbridge test`) are rare: they go to the router each time.
        const b = book();
        const pinned = findAccount(b.state, pinnedAccount);
        if (!pinned)
          return {
            kind: 'refused',
            reason: 'no_account',
            error: new AnthropicApiError(
              'invalid_request_error',
              `no account "${pinnedAccount}" (pinned by this session); see \`ccbridge list\``,
            ),
          };
        const decision = decide(b, stickyId, pinned.id);
        announce(b.state, stickyId && sessionKey ? sessionKey : '*', decision);
        return routeResult(b.state, decision);
      }
      const { decision, result } = routeFor(stickyId);
      // A session that has an account of its own moves alone; every other request follows the global route.
      announce(daemon.store.get(), stickyId && sessionKey ? sessionKey : '*', decision);
      return result;
    },

    onAttemptFailed(accountId, failure, next) {
      const state = daemon.store.get();
      const t = now();
      const retryAfter = Number(failure.error.headers['retry-after']);
      let why = failure.error.message;
      switch (failure.kind) {
        case 'usage_limit': {
          // Without `resets_at` the limits snapshot, a fresh read, or a short guess says when.
          const resetsAt = failure.resetsAt ?? null;
          const ex = usageLimitExhaustion(resetsAt, limits.get(accountId), t);
          limits.markExhausted(accountId, ex);
          why = `${nameOf(state, accountId)} reached its usage limit`;
          if (resetsAt === null) void limits.refresh(accountId);
          break;
        }
        case 'rate_limit':
          health.markCooldown(
            accountId,
            t + (Number.isFinite(retryAfter) ? retryAfter * 1000 : COOLDOWN_MS),
            'rate limited',
          );
          break;
        case 'unauthorized': {
          // The bridge refreshed the token through codex after the first 401; a second one is past fixing here.
          const name = nameOf(state, accountId);
          codex.markNeedsLogin(
            accountId,
            `the Codex backend rejects ${name}'s login even after a token refresh; it is out of rotation until you run \`ccbridge connect ${name}\``,
          );
          break;
        }
        case 'credentials':
          break; // the token keeper already marked a login that is gone for good
        case 'overloaded':
        case 'other':
          health.markCooldown(
            accountId,
            t + COOLDOWN_MS,
            failure.kind === 'overloaded' ? 'overloaded' : 'upstream error',
          );
          break;
        default:
          return; // the request's own fault: no other account would do better
      }
      daemon.log({
        level: 'warn',
        category: 'proxy',
        accountId,
        message: next
          ? `failover from ${nameOf(state, accountId)} to ${nameOf(state, next)}: ${why}`
          : `${nameOf(state, accountId)} failed and no other account can serve: ${why}`,
        data: { from: accountId, to: next, why, kind: failure.kind },
      });
      daemon.notifyChange();
    },

    onCommitted(accountId, sessionKey) {
      const hadMarks = [health.clear(accountId), limits.clearExhausted(accountId)].some(Boolean);
      if (hadMarks) daemon.notifyChange();
      sticky.set(sessionKey, accountId, now());
    },
  };
}
