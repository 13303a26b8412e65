import type { ThinkingConfig } from './anthropicSchema.js';
import type { CodexModel } from './codexModels.js';
import type { ReasoningEffort } from './responsesSchema.js';

const ORDER: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];
const FALLBACK_SUPPORTED: readonly ReasoningEffort[] = ['low', 'medium', 'high', 'xhigh'];

function isEffort(v: string | null | undefined): v is ReasoningEffort {
  return !!v && (ORDER as readonly string[]).includes(v);
}

/** Budget tokens → effort: Claude Code's default budget (31999) lands on `high`. */
function effortForBudget(budget: number): ReasoningEffort {
  if (budget < 4096) return 'low';
  if (budget < 16384) return 'medium';
  if (budget < 49152) return 'high';
  return 'xhigh';
}

/** The nearest effort the model supports: the highest one not above `wanted`, else the lowest one. */
export function clampEffort(wanted: ReasoningEffort, model: CodexModel | undefined): ReasoningEffort {
  const listed = (model?.supportedReasoningEfforts ?? []).map((e) => e.reasoningEffort).filter(isEffort);
  const supported = listed.length ? listed : FALLBACK_SUPPORTED;
  if (supported.includes(wanted)) return wanted;
  const rank = ORDER.indexOf(wanted);
  const sorted = [...supported].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  const below = sorted.filter((e) => ORDER.indexOf(e) <= rank);
  return below[below.length - 1] ?? sorted[0] ?? 'medium';
}

/**
 * `thinking` + `output_config.effort` → `reasoning.effort` within what the model supports:
 * an explicit effort wins; `enabled` maps its budget; `disabled` asks for the least reasoning;
 * otherwise the model's default.
 */
export function chooseReasoningEffort(
  thinking: ThinkingConfig | null | undefined,
  outputEffort: string | null | undefined,
  model: CodexModel | undefined,
): ReasoningEffort {
  let wanted: ReasoningEffort;
  if (thinking?.type === 'disabled') wanted = 'none';
  else if (isEffort(outputEffort)) wanted = outputEffort;
  else if (thinking?.type === 'enabled' && typeof thinking.budget_tokens === 'number')
    wanted = effortForBudget(thinking.budget_tokens);
  else wanted = isEffort(model?.defaultReasoningEffort) ? model.defaultReasoningEffort : 'medium';
  return clampEffort(wanted, model);
}
