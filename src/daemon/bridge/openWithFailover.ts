import type { FailureKind, UpstreamFailure } from '../../translate/upstreamErrors.js';
import type { RouteCandidate } from './bridgeDeps.js';
import type { OpenResult } from './awaitFirstOutput.js';

/**
 * Failures another account may not have: its quota, throttling, overload, a login the backend rejects or
 * cannot be refreshed, unknown upstream errors. A request's own faults (bad input, prompt too long) would
 * fail everywhere.
 */
const FAILOVER_KINDS: ReadonlySet<FailureKind> = new Set([
  'usage_limit',
  'rate_limit',
  'overloaded',
  'unauthorized',
  'credentials',
  'other',
]);

export type Committed<P> = {
  ok: true;
  candidate: RouteCandidate;
  prepared: P;
  opened: Extract<OpenResult, { ok: true }>;
};
export type Failed<P> = { ok: false; candidate: RouteCandidate; prepared: P; failure: UpstreamFailure };

export interface FailoverHooks {
  /** Each failed attempt, with the account tried next (null: none left, or a failure no account would fix). */
  onAttemptFailed?(accountId: string, failure: UpstreamFailure, next: string | null): void;
  /** The attempt that got the first output: it serves the request. */
  onCommitted?(accountId: string): void;
}

/**
 * Tries the candidates in order until one upstream produces its first output. Every attempt ends before
 * a byte reaches the client, so a request never reaches a second account after the first sent it anything.
 */
export async function openWithFailover<P>(
  candidates: readonly RouteCandidate[],
  attempt: (candidate: RouteCandidate) => Promise<{ prepared: P; opened: OpenResult }>,
  hooks: FailoverHooks,
): Promise<Committed<P> | Failed<P>> {
  let failed: Failed<P> | null = null;
  for (const [i, candidate] of candidates.entries()) {
    const { prepared, opened } = await attempt(candidate);
    if (opened.ok) {
      hooks.onCommitted?.(candidate.accountId);
      return { ok: true, candidate, prepared, opened };
    }
    const next = FAILOVER_KINDS.has(opened.failure.kind) ? (candidates[i + 1] ?? null) : null;
    hooks.onAttemptFailed?.(candidate.accountId, opened.failure, next?.accountId ?? null);
    failed = { ok: false, candidate, prepared, failure: opened.failure };
    if (!next) break;
  }
  return failed!;
}
