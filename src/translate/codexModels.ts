import type { CodexModel } from '../shared/schemas/codexModel.js';

const EFFORTS = ['low', 'medium', 'high', 'xhigh'].map((reasoningEffort) => ({ reasoningEffort }));
const PRIORITY = [{ id: 'priority' }];

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
