import { randomBytes } from 'node:crypto';
import { conflict, CcbridgeError, notFound } from '../shared/errors.js';
import type { EventInput } from '../shared/schemas/events.js';
import type { Account, StateFile } from '../shared/schemas/state.js';

/**
 * Account registry rules as pure mutations of a state draft. Each returns the events it caused;
 * the daemon runs them inside `StateStore.update()` and logs the events.
 */

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newAccountId(taken: ReadonlySet<string>): string {
  for (;;) {
    const bytes = randomBytes(8);
    let id = '';
    for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
    if (!taken.has(id)) return id;
  }
}

/** Finds an account by id, then by name (case-insensitive). */
export function findAccount(state: StateFile, ref: string): Account | undefined {
  return (
    state.accounts.find((a) => a.id === ref) ?? state.accounts.find((a) => a.name.toLowerCase() === ref.toLowerCase())
  );
}

export function requireAccount(state: StateFile, ref: string): Account {
  const account = findAccount(state, ref);
  if (!account) {
    const names = state.accounts.map((a) => a.name).join(', ') || 'none yet; add one with `ccbridge add <name>`';
    throw notFound('account_not_found', `no account "${ref}" (accounts: ${names})`);
  }
  return account;
}

function assertNameFree(state: StateFile, name: string, exceptId?: string): void {
  const clash = state.accounts.find((a) => a.name.toLowerCase() === name.toLowerCase() && a.id !== exceptId);
  if (clash) throw conflict('name_taken', `an account named "${clash.name}" already exists; pick another name`);
}

const ev = (
  category: EventInput['category'],
  message: string,
  accountId: string | null,
  data?: Record<string, unknown>,
): EventInput => ({
  level: 'info',
  category,
  message,
  accountId,
  ...(data ? { data } : {}),
});

export function addAccount(
  state: StateFile,
  input: { name: string; model?: string | undefined },
  now = new Date(),
): { account: Account; events: EventInput[] } {
  assertNameFree(state, input.name);
  const account: Account = {
    id: newAccountId(new Set(state.accounts.map((a) => a.id))),
    name: input.name,
    enabled: true,
    model: input.model ?? null,
    fastMode: null,
    createdAt: now.toISOString(),
    needsLogin: false,
  };
  state.accounts.push(account);
  const events = [ev('account', `account ${account.name} added`, account.id)];
  // The first account is the obvious routing target; later ones never steal the route.
  if (!state.activeAccountId) state.activeAccountId = account.id;
  if (!state.defaultAccountId) state.defaultAccountId = account.id;
  return { account, events };
}

export function renameAccount(state: StateFile, ref: string, name: string): EventInput[] {
  const account = requireAccount(state, ref);
  if (account.name === name) return [];
  assertNameFree(state, name, account.id);
  const old = account.name;
  account.name = name;
  return [ev('account', `account ${old} renamed to ${name}`, account.id)];
}

/** Re-points the route when the active account can no longer serve. */
function rerouteFrom(state: StateFile, leaving: Account, why: string): EventInput[] {
  if (state.activeAccountId !== leaving.id) return [];
  const usable = (a: Account) => a.enabled && a.id !== leaving.id;
  const def = state.accounts.find((a) => a.id === state.defaultAccountId && usable(a));
  const next = def ?? state.accounts.find(usable);
  state.activeAccountId = next?.id ?? null;
  return [
    {
      level: 'warn',
      category: 'account',
      message: next
        ? `active account ${leaving.name} ${why}; routing moved to ${next.name}`
        : `active account ${leaving.name} ${why}; no enabled account left to route to`,
      accountId: leaving.id,
      data: { from: leaving.id, to: next?.id ?? null },
    },
  ];
}

export function setEnabled(state: StateFile, ref: string, enabled: boolean): EventInput[] {
  const account = requireAccount(state, ref);
  if (account.enabled === enabled) return [];
  account.enabled = enabled;
  const events = [ev('account', `account ${account.name} ${enabled ? 'enabled' : 'disabled'}`, account.id)];
  if (!enabled) events.push(...rerouteFrom(state, account, 'was disabled'));
  else if (!state.activeAccountId) {
    state.activeAccountId = account.id;
    events.push(ev('account', `routing to ${account.name}`, account.id));
  }
  return events;
}

export function removeAccount(state: StateFile, ref: string): { account: Account; events: EventInput[] } {
  const account = requireAccount(state, ref);
  const events = [...rerouteFrom(state, account, 'was removed')];
  state.accounts = state.accounts.filter((a) => a.id !== account.id);
  if (state.defaultAccountId === account.id) {
    const next = state.accounts.find((a) => a.id === state.activeAccountId) ?? state.accounts[0];
    state.defaultAccountId = next?.id ?? null;
  }
  if (state.activeAccountId === account.id) state.activeAccountId = null;
  events.push(ev('account', `account ${account.name} removed`, account.id));
  return { account, events };
}

/** `use` and `default` name an account to route to: a disabled one never would be. */
function requireEnabled(account: Account): void {
  if (!account.enabled) {
    throw new CcbridgeError(
      'account_disabled',
      `account ${account.name} is disabled; run \`ccbridge enable ${account.name}\` first`,
      { status: 409 },
    );
  }
}

export function activateAccount(state: StateFile, ref: string): EventInput[] {
  const account = requireAccount(state, ref);
  requireEnabled(account);
  if (state.activeAccountId === account.id) return [];
  const from = state.accounts.find((a) => a.id === state.activeAccountId);
  state.activeAccountId = account.id;
  return [ev('account', `routing switched to ${account.name}`, account.id, { from: from?.id ?? null, to: account.id })];
}

export function setDefaultAccount(state: StateFile, ref: string): EventInput[] {
  const account = requireAccount(state, ref);
  requireEnabled(account);
  if (state.defaultAccountId === account.id) return [];
  state.defaultAccountId = account.id;
  return [ev('account', `default account set to ${account.name}`, account.id)];
}

export function setAccountModel(state: StateFile, ref: string, model: string | null): EventInput[] {
  const account = requireAccount(state, ref);
  if (account.model === model) return [];
  account.model = model;
  return [ev('account', `model of ${account.name} set to ${model ?? 'the default'}`, account.id)];
}

export function setFastOverride(state: StateFile, ref: string, fastMode: Account['fastMode']): EventInput[] {
  const account = requireAccount(state, ref);
  if (account.fastMode === fastMode) return [];
  account.fastMode = fastMode;
  return [ev('account', `fast mode of ${account.name} set to ${fastMode ?? 'inherit'}`, account.id)];
}

/** The account requests go to: the active one, else the default, if enabled. */
export function routeAccount(state: StateFile): Account | undefined {
  const byId = (id: string | null) => (id ? state.accounts.find((a) => a.id === id && a.enabled) : undefined);
  return byId(state.activeAccountId) ?? byId(state.defaultAccountId);
}

export function effectiveFastMode(
  state: StateFile,
  account: Account,
): { value: boolean; source: 'account' | 'global' } {
  if (account.fastMode) return { value: account.fastMode === 'on', source: 'account' };
  return { value: state.settings.fastMode, source: 'global' };
}
