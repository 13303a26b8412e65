import type { Key } from 'ink';
import { AccountNameSchema } from '../../shared/schemas/state.js';
import { nextFastOverride, type AccountRef, type ControlOp } from '../actions/controlOps.js';
import {
  isLoginFinished,
  latestLoginSession,
  loginUrl,
  selectedAccount,
  shownLoginSession,
} from '../state/selectors.js';
import type { TuiAction } from '../state/tuiReducer.js';
import type { Mode, PromptMode, TuiState } from '../state/tuiState.js';

/** What a key press asks for; the root carries it out. Keeping this pure makes every binding testable. */
export type Intent =
  | { type: 'dispatch'; action: TuiAction }
  | { type: 'run'; op: ControlOp }
  | { type: 'startDaemon' }
  | { type: 'openUrl'; url: string }
  | { type: 'quit' };

export interface KeyContext {
  /** Lines the events pane shows, for paging. */
  eventLines: number;
}

const dispatch = (action: TuiAction): Intent => ({ type: 'dispatch', action });
const run = (op: ControlOp): Intent => ({ type: 'run', op });
const setMode = (mode: Mode): Intent => dispatch({ type: 'setMode', mode });
const NORMAL = setMode({ kind: 'normal' });
/** Keys that act on the selected account (enter too). */
const ACCOUNT_KEYS = new Set(['u', 'D', 'c', 'r', 'e', 'm', 'f', 'l', 'x']);

export function intentsForKey(state: TuiState, input: string, key: Key, ctx: KeyContext): Intent[] {
  switch (state.mode.kind) {
    case 'normal':
      return normalKey(state, input, key, ctx);
    case 'help':
      return [NORMAL];
    case 'add':
    case 'rename':
      return promptKey(state, state.mode, input, key);
    case 'search':
      return searchKey(input, key);
    case 'confirmDelete': {
      const account = refOf(state, state.mode.accountId);
      if (account && (input === 'y' || input === 'Y')) return [NORMAL, run({ op: 'remove', account })];
      return [NORMAL, dispatch({ type: 'notify', notice: { id: -1, tone: 'ok', text: 'nothing deleted' } })];
    }
    case 'connect': {
      const account = refOf(state, state.mode.accountId);
      if (!account || key.escape || input === 'q') return [NORMAL];
      if (input === 'b' || key.return) return [NORMAL, run({ op: 'connect', account, kind: 'browser' })];
      if (input === 'd') return [NORMAL, run({ op: 'connect', account, kind: 'device' })];
      return [];
    }
    case 'login': {
      const account = refOf(state, state.mode.accountId);
      const session = shownLoginSession(state);
      if (input === 'x' && account && session && !isLoginFinished(session)) {
        return [run({ op: 'cancelLogin', account, sessionId: session.id })];
      }
      const url = loginUrl(session);
      if (input === 'o' && url) return [{ type: 'openUrl', url }];
      if (key.escape || key.return || input === 'q') return [NORMAL];
      return [];
    }
    case 'models': {
      const mode = state.mode;
      if (key.escape || input === 'q') return [NORMAL];
      if (key.upArrow || input === 'k') return [dispatch({ type: 'moveModelChoice', delta: -1 })];
      if (key.downArrow || input === 'j') return [dispatch({ type: 'moveModelChoice', delta: 1 })];
      const choice = mode.choices?.[mode.index];
      const account = refOf(state, mode.accountId);
      if (key.return && choice && account) return [NORMAL, run({ op: 'setModel', account, model: choice.id })];
      return [];
    }
  }
}

function normalKey(state: TuiState, input: string, key: Key, ctx: KeyContext): Intent[] {
  // Ink reports escape with meta set, so it is matched before modified keys are ignored.
  if (key.escape) return [dispatch({ type: 'clearNotice' })];
  if (key.ctrl || key.meta) return [];
  if (input === 'q') return [{ type: 'quit' }];
  if (input === '?') return [setMode({ kind: 'help' })];
  if (key.tab) return [dispatch({ type: 'cycleFocus', step: key.shift ? -1 : 1 })];
  if (input === 's' && state.connection.status === 'reconnecting') return [{ type: 'startDaemon' }];
  // The filter applies to the events pane, so typing one brings it into focus.
  if (input === '/') return [dispatch({ type: 'focusPane', pane: 'events' }), setMode({ kind: 'search' })];

  const nav = navigation(state, input, key, ctx);
  if (nav) return [nav];

  if (input === 'a') return [setMode({ kind: 'add', value: '', error: null })];
  if (input === 'F') {
    return state.view ? [run({ op: 'setGlobalFast', on: !state.view.settings.fastMode })] : [notConnected()];
  }
  if (input === 'A') return [run({ op: 'applyClaude' })];

  if (!(key.return || ACCOUNT_KEYS.has(input))) return [];
  const selected = selectedAccount(state);
  if (!selected)
    return [
      dispatch({ type: 'notify', notice: { id: -1, tone: 'error', text: 'no account selected; press a to add one' } }),
    ];
  const account: AccountRef = { id: selected.id, name: selected.name };
  if (key.return || input === 'u') return [run({ op: 'activate', account })];
  switch (input) {
    case 'D':
      return [run({ op: 'makeDefault', account })];
    case 'c': {
      const session = latestLoginSession(state.view, account.id);
      // A login already under way is shown again rather than replaced.
      if (session && !isLoginFinished(session))
        return [setMode({ kind: 'login', accountId: account.id, session, autoOpen: false })];
      return [setMode({ kind: 'connect', accountId: account.id })];
    }
    case 'r':
      return [setMode({ kind: 'rename', accountId: account.id, value: account.name, error: null })];
    case 'e':
      return [run({ op: 'setEnabled', account, enabled: !selected.enabled })];
    case 'm':
      return [
        setMode({ kind: 'models', accountId: account.id, choices: null, index: 0 }),
        run({ op: 'listModels', account }),
      ];
    case 'f':
      return [run({ op: 'setFast', account, mode: nextFastOverride(selected.fastMode) })];
    case 'l':
      return [run({ op: 'refreshLimits', account })];
    case 'x':
      return [setMode({ kind: 'confirmDelete', accountId: account.id })];
    default:
      return [];
  }
}

/** Arrows and paging: the events pane scrolls, the other panes move the account selection. */
function navigation(state: TuiState, input: string, key: Key, ctx: KeyContext): Intent | null {
  const up = key.upArrow || input === 'k';
  const down = key.downArrow || input === 'j';
  const top = key.home || input === 'g';
  const bottom = key.end || input === 'G';
  if (state.pane === 'events') {
    const visible = ctx.eventLines;
    const scroll = (delta: number) => dispatch({ type: 'scrollEvents', delta, visible });
    if (up) return scroll(1);
    if (down) return scroll(-1);
    if (key.pageUp) return scroll(Math.max(1, visible - 1));
    if (key.pageDown) return scroll(-Math.max(1, visible - 1));
    if (top) return scroll(Number.MAX_SAFE_INTEGER);
    if (bottom) return scroll(-Number.MAX_SAFE_INTEGER);
    if (key.leftArrow) return dispatch({ type: 'cycleEventFilter', step: -1 });
    if (key.rightArrow) return dispatch({ type: 'cycleEventFilter', step: 1 });
    return null;
  }
  const move = (delta: number) => dispatch({ type: 'moveSelection', delta });
  if (up) return move(-1);
  if (down) return move(1);
  if (key.pageUp) return move(-5);
  if (key.pageDown) return move(5);
  if (top) return move(-Number.MAX_SAFE_INTEGER);
  if (bottom) return move(Number.MAX_SAFE_INTEGER);
  return null;
}

/** `/`: the events filter is edited as typed; enter keeps it, esc clears it. */
function searchKey(input: string, key: Key): Intent[] {
  if (key.escape) return [dispatch({ type: 'clearEventQuery' }), NORMAL];
  if (key.return) return [NORMAL];
  return typing(input, key);
}

/** Typing into a prompt: backspace deletes, text is inserted, other keys do nothing. */
function typing(input: string, key: Key): Intent[] {
  if (key.backspace || key.delete) return [dispatch({ type: 'editPrompt', edit: { kind: 'backspace' } })];
  if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return [];
  return input ? [dispatch({ type: 'editPrompt', edit: { kind: 'insert', text: input } })] : [];
}

function promptKey(state: TuiState, mode: PromptMode, input: string, key: Key): Intent[] {
  if (key.escape) return [NORMAL];
  if (key.return) {
    const name = AccountNameSchema.safeParse(mode.value);
    if (!name.success)
      return [dispatch({ type: 'promptError', error: name.error.issues[0]?.message ?? 'invalid name' })];
    if (mode.kind === 'add') return [NORMAL, run({ op: 'add', name: name.data })];
    const account = refOf(state, mode.accountId);
    if (!account || account.name === name.data) return [NORMAL];
    return [NORMAL, run({ op: 'rename', account, name: name.data })];
  }
  return typing(input, key);
}

function refOf(state: TuiState, accountId: string): AccountRef | null {
  const a = state.view?.accounts.find((x) => x.id === accountId);
  return a ? { id: a.id, name: a.name } : null;
}

function notConnected(): Intent {
  return dispatch({ type: 'notify', notice: { id: -1, tone: 'error', text: 'not connected to the daemon yet' } });
}
