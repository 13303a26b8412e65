import { CcbridgeError, EXIT_NEEDS_LOGIN, EXIT_OUT_OF_QUOTA } from '../shared/errors.js';
import { formatDuration, formatResetTime, untilText } from '../shared/format.js';
import type { AccountView, StateView } from '../shared/schemas/api.js';

const signedOut = (a: AccountView) => a.auth.state === 'not-connected' || a.auth.state === 'needs-login';

export function needsLoginError(a: AccountView): CcbridgeError {
  const what = a.auth.state === 'needs-login' ? 'must sign in again' : 'is not signed in';
  return new CcbridgeError('needs_login', `account ${a.name} ${what}; run \`ccbridge login ${a.name}\``, {
    exitCode: EXIT_NEEDS_LOGIN,
  });
}

export function outOfQuotaError(a: AccountView): CcbridgeError {
  return new CcbridgeError(
    'out_of_quota',
    `account ${a.name} is out of quota${untilText(a.health.until)}; \`ccbridge use <other account>\` or wait`,
    { exitCode: EXIT_OUT_OF_QUOTA },
  );
}

/** Why a command cannot act through this account (exit 3: sign in, exit 4: out of quota), or null. */
export function accountProblem(a: AccountView, opts: { quota: boolean }): CcbridgeError | null {
  if (signedOut(a)) return needsLoginError(a);
  if (opts.quota && a.health.state === 'exhausted') return outOfQuotaError(a);
  return null;
}

/**
 * Why no request can be routed, when there is no account to route to: none added, none enabled, every one out of
 * quota (exit 4, with the first reset), or every one signed out (exit 3). Accounts that exist are never told to
 * "add an account".
 */
export function noRouteError(state: StateView, what: string): CcbridgeError {
  const enabled = state.accounts.filter((a) => a.enabled);
  if (!state.accounts.length)
    return new CcbridgeError('no_account', `no account ${what}; add one with \`ccbridge add <name>\``);
  if (!enabled.length)
    return new CcbridgeError('no_account', `every account is disabled; \`ccbridge enable <name>\` one`);
  const exhausted = enabled.filter((a) => !signedOut(a) && a.health.state === 'exhausted');
  if (exhausted.length && enabled.every((a) => signedOut(a) || a.health.state === 'exhausted')) {
    const first = exhausted
      .map((a) => a.health.until)
      .filter((u): u is string => u !== null)
      .sort()[0];
    const now = Date.now();
    const back = first
      ? `at ${formatResetTime(Date.parse(first), now)} (in ${formatDuration(Math.max(0, Date.parse(first) - now))})`
      : 'when its window resets';
    return new CcbridgeError(
      'out_of_quota',
      `every account is out of quota (${exhausted.map((a) => a.name).join(', ')}); the first is back ${back}`,
      { exitCode: EXIT_OUT_OF_QUOTA },
    );
  }
  if (enabled.every(signedOut))
    return new CcbridgeError('needs_login', `no account is signed in; run \`ccbridge login ${enabled[0]!.name}\``, {
      exitCode: EXIT_NEEDS_LOGIN,
    });
  return new CcbridgeError('no_account', `no account ${what} right now; see \`ccbridge status\``);
}

/**
 * The account a command acts through when none is named: the one requests go to now; with none routable (every
 * account out of quota, say), the active one, else the first enabled and signed-in one, so the command can say
 * what is wrong with it. Without any such account: why (noRouteError).
 */
export function actingAccount(state: StateView, what: string): AccountView {
  const byId = (id: string | null) => state.accounts.find((a) => a.id === id);
  const routed = byId(state.routeAccountId);
  if (routed) return routed;
  const active = byId(state.activeAccountId);
  const fallback =
    (active?.enabled && !signedOut(active) ? active : undefined) ??
    state.accounts.find((a) => a.enabled && !signedOut(a));
  if (fallback) return fallback;
  throw noRouteError(state, what);
}
