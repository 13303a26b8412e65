import type { CodexModel } from '../shared/schemas/codexModel.js';

const EFFORTS = ['low', 'medium', 'high', 'xhigh'].map((reasoningEffort) => ({ reasoningEffort }));
const PRIORITY = [{ id: 'priority' }];
/** Every model in codex 0.169's catalogue says 95. */
const DEFAULT_EFFECTIVE_PERCENT = 95;

function builtin(id: string, displayName: string, fast: boolean, isDefault = false): CodexModel {
  return {
    id,
    model: id,
    displayName,
    hidden: false,
    supportedReasoningEfforts: EFFORTS,
    defaultReasoningEffort: 'medium',
    serviceTiers: fast ? PRIORITY : [],
    inputModalities: ['text', 'image'],
    isDefault,
    contextWindow: 272_000,
    effectiveContextWindowPercent: DEFAULT_EFFECTIVE_PERCENT,
  };
}

/** codex.md §7: used when the account's `model/list` is unavailable. */
export const BUILTIN_MODELS: readonly CodexModel[] = [
  builtin('gpt-5.5', 'GPT-5.5', true, true),
  builtin('gpt-5.4', 'GPT-5.4', true),
  builtin('gpt-5.4-mini', 'GPT-5.4-Mini', false),
  builtin('gpt-5.3-codex', 'GPT-5.3-Codex', false),
  builtin('gpt-5.2', 'GPT-5.2', false),
];

/** Context window assumed for models whose list entry does not say (every codex model today). */
export const DEFAULT_CONTEXT_WINDOW = 272_000;

/**
 * The part of a model's context window a conversation can fill, as codex computes it: the catalogue's
 * window × `effective_context_window_percent` (272000 → 258400; gpt-6.1-terra's 500000 → 475000).
 */
export function usableContextWindow(model: CodexModel | undefined): number {
  const window = model?.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
  const percent = model?.effectiveContextWindowPercent ?? DEFAULT_EFFECTIVE_PERCENT;
  return Math.floor((window * percent) / 100);
}

/**
 * An account's `model/list` with what only the catalogue knows (context window, its usable percent,
 * responses-lite) filled in from the bundled catalogue's entry of the same model.
 */
export function withCatalogueFacts(list: CodexModel[], catalogue: readonly CodexModel[] | null): CodexModel[] {
  if (!catalogue?.length) return list;
  return list.map((m) => {
    const c = findModel(catalogue, m.id);
    if (!c) return m;
    return {
      ...m,
      contextWindow: m.contextWindow ?? c.contextWindow ?? null,
      effectiveContextWindowPercent: m.effectiveContextWindowPercent ?? c.effectiveContextWindowPercent ?? null,
      useResponsesLite: m.useResponsesLite ?? c.useResponsesLite ?? null,
    };
  });
}

export function findModel(models: readonly CodexModel[], slug: string): CodexModel | undefined {
  return models.find((m) => m.id === slug || m.model === slug);
}

export function supportsPriorityTier(model: CodexModel | undefined): boolean {
  return !!model?.serviceTiers?.some((t) => t.id === 'priority');
}

/** Whether codex sends this model the responses-lite request shape (header, `reasoning.context`, tools as input). */
export function usesResponsesLite(model: CodexModel | undefined): boolean {
  return model?.useResponsesLite === true;
}
