import { Command } from 'commander';
import { controlApi, type ControlRequest } from '../../client/controlApi.js';
import type { AccountResponseSchema, AccountView } from '../../shared/schemas/api.js';
import { emit } from '../output.js';
import { addJsonOption, withDaemon, type JsonOption } from './shared.js';

/**
 * `use`, `default`, `enable`, `disable` and `rename` differ only in the request they send and the
 * sentence they print, so one factory builds them.
 */
function accountAction(
  name: string,
  description: string,
  request: (ref: string, extra: string[]) => ControlRequest<typeof AccountResponseSchema>,
  done: (a: AccountView) => string,
  extraArgs: Array<[string, string]> = [],
): Command {
  const cmd = new Command(name).description(description).argument('<account>', 'account id or name');
  for (const [arg, desc] of extraArgs) cmd.argument(arg, desc);
  return addJsonOption(cmd).action(async (ref: string, ...rest: unknown[]) => {
    const extra = rest.slice(0, extraArgs.length) as string[];
    const opts = rest[extraArgs.length] as JsonOption;
    const { account } = await withDaemon((c) => c.call(request(ref, extra)));
    emit(account, opts, done);
  });
}

export const useCommand = () =>
  accountAction(
    'use',
    'route requests to this account (make it active)',
    (ref) => controlApi.activate(ref),
    (a) => `now routing to ${a.name}`,
  );

export const defaultCommand = () =>
  accountAction(
    'default',
    'make this the default account (used whenever no active account is set)',
    (ref) => controlApi.makeDefault(ref),
    (a) => `default account is now ${a.name}`,
  );

export const enableCommand = () =>
  accountAction(
    'enable',
    'put an account back into rotation',
    (ref) => controlApi.patchAccount(ref, { enabled: true }),
    (a) => `enabled ${a.name}`,
  );

export const disableCommand = () =>
  accountAction(
    'disable',
    'take an account out of rotation (the route moves to the default or next enabled account)',
    (ref) => controlApi.patchAccount(ref, { enabled: false }),
    (a) => `disabled ${a.name}`,
  );

export const renameCommand = () =>
  accountAction(
    'rename',
    'rename an account',
    (ref, [name]) => controlApi.patchAccount(ref, { name }),
    (a) => `renamed to ${a.name}`,
    [['<name>', 'the new name']],
  );
