import * as z from 'zod';

/**
 * One entry of an account's model list, in the shape `codex app-server` `model/list` returns (codex.md §11).
 * The one schema for that shape: the app-server client parses `model/list` with it, the control API
 * answers `GET /api/accounts/:ref/models` with it and the bridge resolves models against it. Loose and
 * mostly optional so a newer or older codex still parses; `contextWindow` is not in `model/list`, the
 * built-in catalog carries it.
 */
export const CodexModelSchema = z.looseObject({
  id: z.string().min(1),
  model: z.string().optional(),
  displayName: z.string().nullish(),
  description: z.string().nullish(),
  hidden: z.boolean().nullish(),
  supportedReasoningEfforts: z.array(z.looseObject({ reasoningEffort: z.string() })).nullish(),
  defaultReasoningEffort: z.string().nullish(),
  serviceTiers: z.array(z.looseObject({ id: z.string() })).nullish(),
  defaultServiceTier: z.string().nullish(),
  inputModalities: z.array(z.string()).nullish(),
  isDefault: z.boolean().nullish(),
  contextWindow: z.number().nullish(),
  /** The catalogue's `effective_context_window_percent`: the share of the window codex lets a turn use. */
  effectiveContextWindowPercent: z.number().nullish(),
  /**
   * The catalogue's `use_responses_lite` (`codex debug models --bundled`, models_cache.json; not in `model/list`):
   * codex sends these models its responses-lite request shape.
   */
  useResponsesLite: z.boolean().nullish(),
});
export type CodexModel = z.infer<typeof CodexModelSchema>;
