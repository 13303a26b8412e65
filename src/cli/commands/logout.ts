import { Command } from 'commander';
import type { AccountView } from '../../shared/schemas/api.js';
import { emit } from '../output.js';
import { addJsonOption, encodeRef, withDaemon, type JsonOption } from './shared.js';

export function logoutCommand(): Command {
  return addJsonOption(
    new Command('logout')
      .description(
        'sign an account out of ChatGPT through codex (revokes its tokens; the account stays, `connect` signs in again)',
      )
      .argument('<account>', 'account id or name'),
  ).action(async (ref: string, opts: JsonOption) => {
    const { account } = await withDaemon((c) =>
      c.request<{ account: AccountView }>('POST', `/api/accounts/${encodeRef(ref)}/logout`),
    );
    emit(account, opts, (a) => `logged out ${a.name}`);
  });
}
