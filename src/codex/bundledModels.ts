import { execFile } from 'node:child_process';
import * as z from 'zod';
import type { CodexModel } from '../shared/schemas/codexModel.js';

/**
 * `codex debug models --bundled`: the model catalogue shipped inside the codex binary, in the backend's `ModelInfo`
 * shape (snake_case, codex.md §7), loose so newer fields pass. Only what maps onto a `model/list` entry is named.
 */
export const BundledCatalogSchema = z.looseObject({
  models: z.array(
    z.looseObject({
      slug: z.string().min(1),
      display_name: z.string().nullish(),
      description: z.string().nullish(),
      default_reasoning_level: z.string().nullish(),
      supported_reasoning_levels: z.array(z.looseObject({ effort: z.string() })).nullish(),
      visibility: z.string().nullish(),
      priority: z.number().nullish(),
      service_tiers: z.array(z.looseObject({ id: z.string() })).nullish(),
      context_window: z.number().nullish(),
      effective_context_window_percent: z.number().nullish(),
      input_modalities: z.array(z.string()).nullish(),
      use_responses_lite: z.boolean().nullish(),
    }),
  ),
});
export type BundledCatalog = z.infer<typeof BundledCatalogSchema>;

/**
 * The bundled catalogue as `model/list` entries. codex's default is the listed model with the lowest `priority`
 * (what `model/list` marks `isDefault`).
 */
export function modelsFromBundledCatalog(catalog: BundledCatalog): CodexModel[] {
  const listed = catalog.models.filter((m) => m.visibility !== 'hide');
  const top = listed.reduce<(typeof listed)[number] | undefined>(
    (best, m) => (best === undefined || (m.priority ?? Infinity) < (best.priority ?? Infinity) ? m : best),
    undefined,
  );
  return catalog.models.map((m) => ({
    id: m.slug,
    model: m.slug,
    displayName: m.display_name ?? m.slug,
    description: m.description ?? null,
    hidden: m.visibility === 'hide',
    supportedReasoningEfforts: (m.supported_reasoning_levels ?? []).map((l) => ({ reasoningEffort: l.effort })),
    defaultReasoningEffort: m.default_reasoning_level ?? null,
    serviceTiers: (m.service_tiers ?? []).map((t) => ({ id: t.id })),
    inputModalities: m.input_modalities ?? null,
    isDefault: m === top,
    contextWindow: m.context_window ?? null,
    effectiveContextWindowPercent: m.effective_context_window_percent ?? null,
    useResponsesLite: m.use_responses_lite ?? null,
  }));
}

/** Runs `codex debug models --bundled` (no network, no login; ~0.1 s) and maps its answer, within `timeoutMs`. */
export function readBundledModels(bin: string, env: Record<string, string>, timeoutMs: number): Promise<CodexModel[]> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      ['debug', 'models', '--bundled'],
      { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 32 * 1024 * 1024 },
      (err, stdout) => {
        if (err) return reject(new Error(`\`codex debug models --bundled\` failed: ${err.message}`));
        let json: unknown;
        try {
          json = JSON.parse(stdout);
        } catch {
          return reject(new Error('`codex debug models --bundled` printed no JSON'));
        }
        const parsed = BundledCatalogSchema.safeParse(json);
        if (!parsed.success) return reject(new Error('`codex debug models --bundled` printed an unexpected shape'));
        resolve(modelsFromBundledCatalog(parsed.data));
      },
    );
  });
}
