import { BUILTIN_MODELS } from '../../translate/codexModels.js';
import type { ModelResolutionContext } from '../../translate/resolveModel.js';
import type { BridgeDeps, RouteCandidate } from './bridgeDeps.js';

/** The model list and tier settings for an account; the built-in catalog when its list is unavailable. */
export async function modelContext(
  deps: BridgeDeps,
  candidate: RouteCandidate | null,
): Promise<ModelResolutionContext> {
  const settings = deps.settings();
  let available = null;
  if (candidate) {
    try {
      available = await deps.models(candidate.accountId);
    } catch {
      available = null; // a failed list read must not fail the request: fall back below
    }
  }
  return {
    accountModel: candidate?.model ?? null,
    tierModels: { opus: settings.opusModel, sonnet: settings.sonnetModel, haiku: settings.haikuModel },
    available: available?.length ? available : BUILTIN_MODELS,
  };
}

/** The account a request without a session would use, or null when none is usable (model lists, count_tokens). */
export function defaultCandidate(deps: BridgeDeps): RouteCandidate | null {
  const routed = deps.route({ sessionKey: null, pinnedAccount: null });
  return routed.kind === 'route' ? (routed.candidates[0] ?? null) : null;
}
