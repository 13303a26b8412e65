import * as z from 'zod';
import { controlApi, type ControlRequest } from '../../client/controlApi.js';
import { AccountViewSchema, ModelListResponseSchema } from '../../shared/schemas/api.js';
import { LoginSessionSchema, type LoginKind } from '../../shared/schemas/auth.js';
import type { TuiAction } from '../state/tuiReducer.js';
import type { ModelChoice } from '../state/tuiState.js';

/** Every change the TUI can ask the daemon for. Each maps to exactly one control-API request. */
export interface AccountRef {
  id: string;
  name: string;
}

export type FastOverride = 'on' | 'off' | null;

export type ControlOp =
  | { op: 'activate'; account: AccountRef }
  | { op: 'makeDefault'; account: AccountRef }
  | { op: 'connect'; account: AccountRef; kind: LoginKind }
  | { op: 'cancelLogin'; account: AccountRef; sessionId: string }
  | { op: 'add'; name: string }
  | { op: 'rename'; account: AccountRef; name: string }
  | { op: 'setEnabled'; account: AccountRef; enabled: boolean }
  | { op: 'setModel'; account: AccountRef; model: string | null }
  | { op: 'setFast'; account: AccountRef; mode: FastOverride }
  | { op: 'setGlobalFast'; on: boolean }
  | { op: 'refreshLimits'; account: AccountRef }
  | { op: 'applyClaude' }
  | { op: 'remove'; account: AccountRef }
  | { op: 'listModels'; account: AccountRef };

/** How an op reads in the result line: while it runs, when it worked, and before the daemon's error. */
export interface OpText {
  pending: string;
  done: string;
  failed: string;
}

/** The control-API route each op calls; accounts are addressed by id, so a rename in flight cannot misroute. */
export function requestFor(op: ControlOp): ControlRequest {
  switch (op.op) {
    case 'activate':
      return controlApi.activate(op.account.id);
    case 'makeDefault':
      return controlApi.makeDefault(op.account.id);
    case 'connect':
      return controlApi.connect(op.account.id, op.kind);
    case 'cancelLogin':
      return controlApi.cancelLogin(op.sessionId);
    case 'add':
      return controlApi.addAccount({ name: op.name });
    case 'rename':
      return controlApi.patchAccount(op.account.id, { name: op.name });
    case 'setEnabled':
      return controlApi.patchAccount(op.account.id, { enabled: op.enabled });
    case 'setModel':
      return controlApi.patchAccount(op.account.id, { model: op.model });
    case 'setFast':
      return controlApi.patchAccount(op.account.id, { fastMode: op.mode });
    case 'setGlobalFast':
      return controlApi.patchSettings({ fastMode: op.on });
    case 'refreshLimits':
      return controlApi.refreshLimits(op.account.id);
    case 'applyClaude':
      return controlApi.applyIntegration();
    case 'remove':
      return controlApi.removeAccount(op.account.id);
    case 'listModels':
      return controlApi.models(op.account.id);
  }
}

export function textFor(op: ControlOp): OpText {
  switch (op.op) {
    case 'activate':
      return {
        pending: `switching to ${op.account.name}…`,
        done: `now routing to ${op.account.name}`,
        failed: `could not switch to ${op.account.name}`,
      };
    case 'makeDefault':
      return {
        pending: `making ${op.account.name} the default…`,
        done: `default account is now ${op.account.name}`,
        failed: `could not make ${op.account.name} the default`,
      };
    case 'connect':
      return {
        pending: `starting ${op.kind === 'device' ? 'device-code' : 'browser'} login for ${op.account.name}…`,
        done: `login started for ${op.account.name}`,
        failed: `could not start login for ${op.account.name}`,
      };
    case 'cancelLogin':
      return {
        pending: `cancelling login for ${op.account.name}…`,
        done: `login for ${op.account.name} cancelled`,
        failed: 'could not cancel the login',
      };
    case 'add':
      return {
        pending: `adding ${op.name}…`,
        done: `added ${op.name}; press c to connect it`,
        failed: `could not add ${op.name}`,
      };
    case 'rename':
      return {
        pending: `renaming ${op.account.name}…`,
        done: `renamed ${op.account.name} to ${op.name}`,
        failed: `could not rename ${op.account.name}`,
      };
    case 'setEnabled': {
      const verb = op.enabled ? 'enable' : 'disable';
      return {
        pending: `${verb.slice(0, -1)}ing ${op.account.name}…`,
        done: `${verb}d ${op.account.name}`,
        failed: `could not ${verb} ${op.account.name}`,
      };
    }
    case 'setModel':
      return {
        pending: `setting the model of ${op.account.name}…`,
        done: op.model ? `${op.account.name} now uses ${op.model}` : `${op.account.name} now uses the default model`,
        failed: `could not set the model of ${op.account.name}`,
      };
    case 'setFast':
      return {
        pending: `setting fast mode of ${op.account.name}…`,
        done: op.mode
          ? `fast mode ${op.mode} for ${op.account.name}`
          : `${op.account.name} now inherits the global fast mode`,
        failed: `could not set fast mode of ${op.account.name}`,
      };
    case 'setGlobalFast':
      return {
        pending: 'setting global fast mode…',
        done: `global fast mode ${op.on ? 'on' : 'off'}`,
        failed: 'could not set global fast mode',
      };
    case 'refreshLimits':
      return {
        pending: `refreshing limits of ${op.account.name}…`,
        done: `limits of ${op.account.name} refreshed`,
        failed: `could not refresh limits of ${op.account.name}`,
      };
    case 'applyClaude':
      return {
        pending: 'applying Claude Code settings…',
        done: 'Claude Code settings applied',
        failed: 'could not apply Claude Code settings',
      };
    case 'remove':
      return {
        pending: `deleting ${op.account.name}…`,
        done: `deleted ${op.account.name}`,
        failed: `could not delete ${op.account.name}`,
      };
    case 'listModels':
      return {
        pending: `loading models of ${op.account.name}…`,
        done: `models of ${op.account.name} loaded`,
        failed: `no model list for ${op.account.name}`,
      };
  }
}

/** The part of `POST /api/integration/apply`'s answer (ApplyResult) the result line names. */
const ApplyAnswerSchema = z.object({ path: z.string(), changed: z.boolean() });

/** A result line that depends on the answer, when the op's fixed `done` text would say too little. */
export function resultText(op: ControlOp, response: unknown): string {
  if (op.op === 'applyClaude') {
    const answer = ApplyAnswerSchema.safeParse(response);
    if (answer.success) {
      return answer.data.changed
        ? `Claude Code settings written to ${answer.data.path}`
        : `Claude Code settings already up to date in ${answer.data.path}`;
    }
  }
  return textFor(op).done;
}

/**
 * What the TUI does with a successful answer beyond the result line. Answers are parsed with the
 * API schemas; throws when an answer the TUI needs (the model list) has an unexpected shape.
 */
export function followUp(op: ControlOp, response: unknown): TuiAction[] {
  const body = (response ?? {}) as Record<string, unknown>;
  switch (op.op) {
    case 'add': {
      const account = AccountViewSchema.pick({ id: true }).safeParse(body.account);
      return account.success ? [{ type: 'selectAccount', accountId: account.data.id }] : [];
    }
    case 'connect': {
      const session = LoginSessionSchema.safeParse(body.session ?? body);
      const mode = {
        kind: 'login',
        accountId: op.account.id,
        session: session.success ? session.data : null,
        autoOpen: op.kind === 'browser',
      } as const;
      return [{ type: 'setMode', mode, ifCurrent: 'normal' }];
    }
    case 'listModels': {
      const list = ModelListResponseSchema.safeParse(body);
      if (!list.success) throw new Error('the daemon answered with a model list of an unexpected shape');
      const choices: ModelChoice[] = [
        { id: null, label: '(default model)' },
        ...list.data.models.map((m) => ({
          id: m.id,
          label: m.displayName && m.displayName !== m.id ? `${m.id}  ${m.displayName}` : m.id,
        })),
      ];
      return [{ type: 'modelsLoaded', accountId: op.account.id, choices }];
    }
    default:
      return [];
  }
}

/** The account override `f` moves to next: inherit → on → off → inherit. */
export function nextFastOverride(current: FastOverride): FastOverride {
  return current === null ? 'on' : current === 'on' ? 'off' : null;
}

/** Undo what an op opened when it fails (the error itself goes to the result line). */
export function afterFailure(op: ControlOp): TuiAction[] {
  return op.op === 'listModels' ? [{ type: 'setMode', mode: { kind: 'normal' }, ifCurrent: 'models' }] : [];
}
