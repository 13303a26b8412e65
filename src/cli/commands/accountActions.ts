import { Command } from 'commander';
import { controlApi, type ControlRequest } from '../../client/controlApi.js';
import type { AccountResponseSchema, AccountView, StateView } from '../../shared/schemas/api.js';
import { emit } from '../output.js';
import { addJsonOption, getState, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

/**
 * `use`, `default`, `enable`, `disable` and `rename` differ only in the request they send and the
 * sentence they print, so one factory builds them.
 */
function accountAction(
  name: string,
  description: string,
  request: (ref: string, extra: string[]) => ControlRequest<typeof AccountResponseSchema>,
  /** The sentence printed, given the account after the change and the daemon's state right after it. */
  done: (a: AccountView, state: StateView) => string,
  extraArgs: Array<[string, string]> = [],
): Command {
  const cmd = new Command(name).description(description).argument('<account>', 'account id or name');
  for (const [arg, desc] of extraArgs) cmd.argument(arg, desc);
  return addJsonOption(cmd).action(async (ref: string, ...rest: unknown[]) => {
    const extra = rest.slice(0, extraArgs.length) as string[];
    const opts = parseOptions(cmd, JsonOptionSchema);
    const { account, state } = await withDaemon(async (c) => {
      const { account } = await c.call(request(ref, extra));
      return { account, state: await getState(c) };
    });
    emit(account, opts, (a) => done(a, state));
  });
}

/** Where requests go now, and why when that is not the active account ("work (personal is out of quota …)"). */
function routeTarget(state: StateView): string {
  const route = state.accounts.find((a) => a.id === state.routeAccountId);
  const why = state.routeReason ? ` (${state.routeReason})` : '';
  return route ? `${route.name}${why}` : `no account${why}`;
}

export const useCommand = () =>
  accountAction(
    'use',
    'route requests to this account (make it active)',
    (ref) => controlApi.activate(ref),
    (a, state) =>
      state.routeAccountId === a.id
        ? `now routing to ${a.name}`
        : `${a.name} is active, but requests go to ${routeTarget(state)}`,
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
    (a, state) => `disabled ${a.name}; requests now go to ${routeTarget(state)}`,
  );

export const renameCommand = () =>
  accountAction(
    'rename',
    'rename an account',
    (ref, [name]) => controlApi.patchAccount(ref, { name }),
    (a) => `renamed to ${a.name}`,
    [['<name>', 'the new name']],
  );
