import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BUILTIN_MODELS } from '../../bridge/codexModels.js';
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

function readState(stateFile: string): CompletionState | null {
  try {
    return CompletionStateSchema.parse(JSON.parse(readFileSync(stateFile, 'utf8')));
  } catch {
    return null; // no state yet, or unreadable: nothing to offer
  }
}

/** Same lookup rule as the daemon: id first, then the name case-insensitively. */
function findAccount(state: CompletionState, ref: string): StateAccount | undefined {
  return state.accounts.find((a) => a.id === ref) ?? state.accounts.find((a) => a.name.toLowerCase() === ref.toLowerCase());
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
 * Reads state.json directly (never the daemon: completion must be instant and must not start
 * anything). The file is read once, on first use.
 */
export function stateCompletionSource(stateFile: string): CompletionSource {
  let cached: CompletionState | null | undefined;
  const state = () => (cached === undefined ? (cached = readState(stateFile)) : cached);
  return {
    accounts(): Candidate[] {
      const s = state();
      return s ? s.accounts.map((a) => ({ value: a.name, description: describeAccount(s, a) })) : [];
    },
    models(account: string | null): Candidate[] {
      const s = state();
      const ref = account ?? s?.activeAccountId ?? s?.defaultAccountId ?? null;
      const preferred = s && ref ? findAccount(s, ref)?.model : undefined;
      return BUILTIN_MODELS.filter((m) => !m.hidden).map((m) => ({
        value: m.id,
        description: [m.displayName, m.id === preferred ? 'preferred' : null].filter(Boolean).join(' · '),
      }));
    },
  };
}
