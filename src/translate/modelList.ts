import * as z from 'zod';
import { AnthropicApiError } from './anthropicError.js';
import type { CodexModel } from '../shared/schemas/codexModel.js';
import { DEFAULT_CONTEXT_WINDOW, findModel } from './codexModels.js';
import { resolveModel, type ModelResolutionContext } from './resolveModel.js';
import { ALIAS_MODEL_IDS } from '../shared/bridgeNames.js';

/** Anthropic `ModelInfo` (anthropic.md §5). */
export const ModelInfoSchema = z.strictObject({
  id: z.string(),
  type: z.literal('model'),
  display_name: z.string(),
  created_at: z.string(),
  max_input_tokens: z.number().int().nullable(),
  max_tokens: z.number().int().nullable(),
  capabilities: z.null(),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

export const ModelListQuerySchema = z.object({
  after_id: z.string().optional(),
  before_id: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(20),
});
export type ModelListQuery = z.infer<typeof ModelListQuerySchema>;

export interface ModelPage {
  data: ModelInfo[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/** Codex models have no release date on the wire; a fixed one keeps the field valid RFC 3339. */
const CREATED_AT = '2025-01-01T00:00:00Z';
const MAX_OUTPUT_TOKENS = 128_000;

function info(id: string, displayName: string, model: CodexModel | undefined): ModelInfo {
  return {
    id,
    type: 'model',
    display_name: displayName,
    created_at: CREATED_AT,
    max_input_tokens: model?.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
    max_tokens: MAX_OUTPUT_TOKENS,
    capabilities: null,
  };
}

/** The ccbridge aliases (named after what they resolve to now), then every listed model the account can use. */
export function listModelInfos(ctx: ModelResolutionContext): ModelInfo[] {
  const aliases = ALIAS_MODEL_IDS.map((alias) => {
    const target = resolveModel(alias, ctx);
    return info(alias, `ccbridge ${alias.slice('ccbridge-'.length)} → ${target.slug}`, target.info);
  });
  const models = ctx.available.filter((m) => !m.hidden).map((m) => info(m.id, m.displayName ?? m.id, m));
  return [...aliases, ...models];
}

export function findModelInfo(id: string, ctx: ModelResolutionContext): ModelInfo {
  const found = listModelInfos(ctx).find((m) => m.id === id);
  if (found) return found;
  const model = findModel(ctx.available, id);
  if (model) return info(model.id, model.displayName ?? model.id, model);
  throw new AnthropicApiError('not_found_error', `model '${id}' not found`);
}

/** Anthropic's cursor pagination: `after_id` pages forward, `before_id` backward, `limit` per page. */
export function paginateModels(all: readonly ModelInfo[], q: ModelListQuery): ModelPage {
  const after = q.after_id === undefined ? -1 : all.findIndex((m) => m.id === q.after_id);
  const before = q.before_id === undefined ? -1 : all.findIndex((m) => m.id === q.before_id);
  const start = after + 1;
  const end = before >= 0 ? before : all.length;
  const window = all.slice(start, end);
  const data =
    q.before_id !== undefined && q.after_id === undefined ? window.slice(-q.limit) : window.slice(0, q.limit);
  return {
    data,
    has_more: data.length < window.length,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
  };
}
