import { resolutionContext, type ModelResolutionContext } from '../../translate/resolveModel.js';
import type { BridgeDeps, RouteCandidate } from './bridgeDeps.js';

/**
 * The model list and tier settings for an account; the built-in catalog when its list is unavailable. Never waits:
 * `deps.models` answers from what the daemon has at hand.
 */
export function modelContext(deps: BridgeDeps, candidate: RouteCandidate | null): ModelResolutionContext {
  const available = candidate ? deps.models(candidate.accountId) : null;
  return resolutionContext(candidate?.model ?? null, deps.settings(), available);
}

/** The account a request without a session would use, or null when none is usable (model lists, count_tokens). */
export function defaultCandidate(deps: BridgeDeps): RouteCandidate | null {
  const routed = deps.route({ sessionKey: null, pinnedAccount: null });
  return routed.kind === 'route' ? (routed.candidates[0] ?? null) : null;
}
