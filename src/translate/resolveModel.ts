import type { CodexModel } from '../shared/schemas/codexModel.js';
import { BUILTIN_MODELS, findModel } from './codexModels.js';

export type ModelTier = 'opus' | 'sonnet' | 'haiku';

export interface ModelResolutionContext {
  /** The account's preferred model (`ccbridge model <account> M`), or null for the list's default. */
  accountModel: string | null;
  /** Configured tier models (settings opusModel / sonnetModel / haikuModel). */
  tierModels: { opus: string | null; sonnet: string | null; haiku: string | null };
  /** The account's model list (or the built-in catalog). */
  available: readonly CodexModel[];
}

/** The resolution context for an account: its model, the tier settings, its list (the built-in one when unknown). */
export function resolutionContext(
  accountModel: string | null,
  settings: { opusModel: string | null; sonnetModel: string | null; haikuModel: string | null },
  available: readonly CodexModel[] | null,
): ModelResolutionContext {
  return {
    accountModel,
    tierModels: { opus: settings.opusModel, sonnet: settings.sonnetModel, haiku: settings.haikuModel },
    available: available?.length ? available : BUILTIN_MODELS,
  };
}

export interface ResolvedModel {
  slug: string;
  /** The list entry for `slug`, when known (efforts, service tiers, context window). */
  info: CodexModel | undefined;
  tier: ModelTier | null;
}

const CODEX_SLUG = /^(gpt-|o\d|codex-)/i;
const SMALL_MODEL = /mini|luna|nano/i;

export function claudeTier(requested: string): ModelTier | null {
  const lower = requested.toLowerCase();
  if (lower.includes('haiku')) return 'haiku';
  if (lower.includes('sonnet')) return 'sonnet';
  if (lower.includes('opus')) return 'opus';
  return null;
}

/** The account's model: its preference, else the list's default, else the first listed model. */
export function accountDefaultModel(accountModel: string | null, available: readonly CodexModel[]): string {
  if (accountModel) return accountModel;
  const visible = available.filter((m) => !m.hidden);
  const chosen = visible.find((m) => m.isDefault) ?? visible[0] ?? BUILTIN_MODELS[0];
  return chosen?.id ?? 'gpt-5.5';
}

function smallModel(available: readonly CodexModel[]): string | undefined {
  return available.find((m) => !m.hidden && SMALL_MODEL.test(m.id))?.id;
}

/**
 * Maps the model a client asked for onto a Codex slug: a Codex slug is used as is; a Claude name (or a
 * ccbridge alias) maps to its tier's model; anything else gets the account's model.
 */
export function resolveModel(requested: string, ctx: ModelResolutionContext): ResolvedModel {
  const known = findModel(ctx.available, requested);
  const tier = known ? null : claudeTier(requested);
  const accountModel = accountDefaultModel(ctx.accountModel, ctx.available);
  let slug: string;
  if (known) slug = known.id;
  else if (CODEX_SLUG.test(requested)) slug = requested;
  else if (tier === 'haiku') slug = ctx.tierModels.haiku ?? smallModel(ctx.available) ?? accountModel;
  else if (tier) slug = ctx.tierModels[tier] ?? accountModel;
  else slug = accountModel;
  return { slug, info: findModel(ctx.available, slug), tier };
}
