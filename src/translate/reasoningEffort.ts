import type { ThinkingConfig } from './anthropicSchema.js';
import type { CodexModel } from '../shared/schemas/codexModel.js';
import type { ReasoningEffort } from './responsesSchema.js';

/** Cheapest first: the efforts the catalogue lists (contract §0); no model lists `none` or `minimal`. */
const ORDER: readonly ReasoningEffort[] = ['low', 'medium', 'high', 'xhigh', 'max', 'ultra'];
/** What a model whose list says nothing is assumed to take (every model lists at least these). */
const FALLBACK_SUPPORTED: readonly ReasoningEffort[] = ['low', 'medium', 'high', 'xhigh'];

function isEffort(v: string | null | undefined): v is ReasoningEffort {
  return !!v && (ORDER as readonly string[]).includes(v);
}

/** Per catalogue entry: a catalogue is replaced, never changed in place, so an entry's list stays what it was. */
const effortsOf = new WeakMap<CodexModel, readonly ReasoningEffort[]>();

function sortedEfforts(model: CodexModel | undefined): readonly ReasoningEffort[] {
  const listed = (model?.supportedReasoningEfforts ?? []).map((e) => e.reasoningEffort).filter(isEffort);
  return (listed.length ? listed : [...FALLBACK_SUPPORTED]).sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
}

const FALLBACK_SORTED = sortedEfforts(undefined);

/** The model's listed efforts, cheapest first (worked out once per model: every request asks). */
function listedEfforts(model: CodexModel | undefined): readonly ReasoningEffort[] {
  if (!model) return FALLBACK_SORTED;
  let efforts = effortsOf.get(model);
  if (!efforts) effortsOf.set(model, (efforts = sortedEfforts(model)));
  return efforts;
}

/** Budget tokens → effort: Claude Code's default budget (31999) lands on `high`. */
function effortForBudget(budget: number): ReasoningEffort {
  if (budget < 4096) return 'low';
  if (budget < 16384) return 'medium';
  if (budget < 49152) return 'high';
  return 'xhigh';
}

/** The nearest effort the model lists: the highest one not above `wanted`, else its cheapest. */
export function clampEffort(wanted: ReasoningEffort, model: CodexModel | undefined): ReasoningEffort {
  const listed = listedEfforts(model);
  if (listed.includes(wanted)) return wanted;
  const below = listed.filter((e) => ORDER.indexOf(e) <= ORDER.indexOf(wanted));
  return below[below.length - 1] ?? listed[0] ?? 'low';
}

/** What the client sees of the model's reasoning. */
export type ThinkingOutput =
  /** Thinking blocks with the summary text and the signature that replays the reasoning. */
  | 'full'
  /** `display:"omitted"`: thinking blocks carry only their signature. */
  | 'signature'
  /** Thinking off or absent: no thinking block at all (the client did not ask for one). */
  | 'none';

export interface ReasoningChoice {
  effort: ReasoningEffort;
  /** Ask upstream for reasoning summaries (only when they will be shown). */
  summary: boolean;
  thinking: ThinkingOutput;
}

/** Thinking is on when the client asked for it: `enabled` or `adaptive` (Claude Code's main loop). */
function thinkingOn(thinking: ThinkingConfig | null | undefined): boolean {
  return thinking?.type === 'enabled' || thinking?.type === 'adaptive';
}

/**
 * Anthropic `thinking` + `output_config.effort` → the upstream reasoning request, within what the model
 * lists. Thinking off or absent (Claude Code's side calls: titles, WebFetch, WebSearch, classifiers) gets
 * the model's cheapest effort, no summaries and no thinking blocks, whatever effort rides along (those
 * side calls carry the session's `output_config.effort`). With thinking on, an explicit effort maps 1:1
 * where the model lists it (else the nearest listed below), an `enabled` budget maps by size, and
 * otherwise the model's default applies.
 */
export function chooseReasoning(
  thinking: ThinkingConfig | null | undefined,
  outputEffort: string | null | undefined,
  model: CodexModel | undefined,
): ReasoningChoice {
  if (!thinkingOn(thinking)) return { effort: listedEfforts(model)[0] ?? 'low', summary: false, thinking: 'none' };
  let wanted: ReasoningEffort;
  if (isEffort(outputEffort)) wanted = outputEffort;
  else if (thinking?.type === 'enabled' && typeof thinking.budget_tokens === 'number')
    wanted = effortForBudget(thinking.budget_tokens);
  else wanted = isEffort(model?.defaultReasoningEffort) ? model.defaultReasoningEffort : 'medium';
  // With `display:"omitted"` Claude shows no thinking text, so summaries would be generated for nothing.
  const omitted = thinking?.display === 'omitted';
  return { effort: clampEffort(wanted, model), summary: !omitted, thinking: omitted ? 'signature' : 'full' };
}
