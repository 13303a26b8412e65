import { Command } from 'commander';
import { controlApi } from '../../client/controlApi.js';
import { emit } from '../output.js';
import { addJsonOption, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

export function logoutCommand(): Command {
  return addJsonOption(
    new Command('logout')
      .description(
        'sign an account out of ChatGPT through codex (revokes its tokens; the account stays, `connect` signs in again)',
      )
      .argument('<account>', 'account id or name'),
  ).action(async (ref: string, _opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, JsonOptionSchema);
    const { account } = await withDaemon((c) => c.call(controlApi.logout(ref)), 'signing out through codex');
    emit(account, opts, (a) => `logged out ${a.name}`);
  });
}
