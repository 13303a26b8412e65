import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { BUILTIN_MODELS } from '../../translate/codexModels.js';
import { accountHome, type Paths } from '../../shared/paths.js';
import type { Candidate, CompletionSource } from './completeWords.js';

/**
 * The slice of state.json completion needs, read leniently: a file written by a newer or older
 * version, or one the daemon would reject, still completes whatever it can.
 */
const CompletionStateSchema = z.looseObject({
  accounts: z
    .array(
      z.looseObject({
        id: z.string(),
        name: z.string(),
        enabled: z.boolean().catch(true),
        model: z.string().nullish().catch(null),
      }),
    )
    .catch([]),
  activeAccountId: z.string().nullish().catch(null),
  defaultAccountId: z.string().nullish().catch(null),
});
type CompletionState = z.infer<typeof CompletionStateSchema>;
type StateAccount = CompletionState['accounts'][number];

/**
 * `$CODEX_HOME/models_cache.json`, which codex writes whenever it fetches the account's model list
 * (the daemon's `model/list`): the account's own line-up, on disk.
 */
const CodexModelsCacheSchema = z.looseObject({
  models: z.array(
    z.looseObject({
      slug: z.string().min(1),
      display_name: z.string().nullish(),
      visibility: z.string().nullish(),
      priority: z.number().nullish(),
    }),
  ),
});

function readJson<T>(file: string, schema: z.ZodType<T>): T | null {
  try {
    return schema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null; // missing or unreadable: nothing to offer from it
  }
}

/** The account's cached models in codex's order, or null when codex has not cached any. */
function cachedModels(paths: Paths, accountId: string): Array<{ id: string; displayName: string | null }> | null {
  const cache = readJson(join(accountHome(paths, accountId), 'models_cache.json'), CodexModelsCacheSchema);
  const visible = cache?.models.filter((m) => m.visibility !== 'hide') ?? [];
  if (!visible.length) return null;
  return visible
    .sort((a, b) => (a.priority ?? Infinity) - (b.priority ?? Infinity))
    .map((m) => ({ id: m.slug, displayName: m.display_name ?? null }));
}

const builtinModels = () =>
  BUILTIN_MODELS.filter((m) => !m.hidden).map((m) => ({ id: m.id, displayName: m.displayName ?? null }));

/** Same lookup rule as the daemon: id first, then the name case-insensitively. */
function findAccount(state: CompletionState, ref: string): StateAccount | undefined {
  return (
    state.accounts.find((a) => a.id === ref) ?? state.accounts.find((a) => a.name.toLowerCase() === ref.toLowerCase())
  );
}

function describeAccount(state: CompletionState, a: StateAccount): string {
  const marks = [
    a.id === state.activeAccountId ? 'active' : null,
    a.id === state.defaultAccountId ? 'default' : null,
    a.enabled ? null : 'disabled',
  ].filter(Boolean);
  return [marks.join(', '), a.model].filter(Boolean).join(' · ');
}

/**
 * Reads state.json (and codex's model caches) directly, never the daemon: completion must be
 * instant and must not start anything. Models: the account's cached list, else the built-in catalog.
 */
export function stateCompletionSource(paths: Paths): CompletionSource {
  let cached: CompletionState | null | undefined;
  const state = () => (cached === undefined ? (cached = readJson(paths.stateFile, CompletionStateSchema)) : cached);
  return {
    accounts(): Candidate[] {
      const s = state();
      return s ? s.accounts.map((a) => ({ value: a.name, description: describeAccount(s, a) })) : [];
    },
    models(account: string | null): Candidate[] {
      const s = state();
      const ref = account ?? s?.activeAccountId ?? s?.defaultAccountId ?? null;
      const target = s && ref ? findAccount(s, ref) : undefined;
      const models = (target ? cachedModels(paths, target.id) : null) ?? builtinModels();
      return models.map((m) => ({
        value: m.id,
        description: [m.displayName, m.id === target?.model ? 'preferred' : null].filter(Boolean).join(' · '),
      }));
    },
  };
}
