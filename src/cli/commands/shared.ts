import type { Command } from 'commander';
import * as z from 'zod';
import { controlApi } from '../../client/controlApi.js';
import { connectDaemon, type DaemonClient } from '../../client/daemonClient.js';
import { withSpinner } from '../spinner.js';
import type { AccountView, StateView } from '../../shared/schemas/api.js';

/** `--json`, the option most commands take; a command with more extends this schema. */
export const JsonOptionSchema = z.object({ json: z.boolean().optional() });

export const addJsonOption = (cmd: Command): Command => cmd.option('--json', 'print machine-readable JSON');

/**
 * Runs an action against a running daemon, starting it first when needed. Starting it, and the action when
 * `what` names it (not for actions that draw on the terminal themselves), show a spinner past ~300 ms.
 */
export async function withDaemon<T>(fn: (client: DaemonClient) => Promise<T>, what?: string): Promise<T> {
  const client = await withSpinner('starting the ccbridge daemon', () => connectDaemon());
  return what ? withSpinner(what, () => fn(client)) : fn(client);
}

export const encodeRef = (ref: string) => encodeURIComponent(ref);

export function getState(client: DaemonClient): Promise<StateView> {
  return client.call(controlApi.state());
}

export function authLabel(a: AccountView): string {
  if (!a.enabled) return 'disabled';
  if (a.health.state === 'exhausted') return 'exhausted';
  return a.auth.state;
}

export function fastLabel(a: AccountView): string {
  return `${a.effectiveFastMode ? 'on' : 'off'}${a.fastModeSource === 'global' ? ' (global)' : ''}`;
}
