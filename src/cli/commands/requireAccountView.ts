import { notFound } from '../../shared/errors.js';
import type { AccountView, StateView } from '../../shared/schemas/api.js';

/** Same lookup rule as the daemon (id, then case-insensitive name), for read-only commands. */
export function requireAccountView(state: StateView, ref: string): AccountView {
  const account =
    state.accounts.find((a) => a.id === ref) ?? state.accounts.find((a) => a.name.toLowerCase() === ref.toLowerCase());
  if (!account) {
    const names = state.accounts.map((a) => a.name).join(', ') || 'none yet; add one with `ccbridge add <name>`';
    throw notFound('account_not_found', `no account "${ref}" (accounts: ${names})`);
  }
  return account;
}
