import type { StateView } from '../../shared/schemas/api.js';
import type { CcbEvent } from '../../shared/schemas/events.js';
import { shownEvents } from './selectors.js';
import {
  EVENT_BUFFER,
  EVENT_FILTERS,
  PANES,
  type Mode,
  type Pane,
  type ModelChoice,
  type Notice,
  type TuiState,
} from './tuiState.js';

export type PromptEdit = { kind: 'insert'; text: string } | { kind: 'backspace' };

export type TuiAction =
  | { type: 'stateReceived'; view: StateView }
  | { type: 'eventsReceived'; events: CcbEvent[] }
  /** The recent log after (re)connecting: replaces what a previous daemon sent. */
  | { type: 'historyReceived'; events: CcbEvent[] }
  | { type: 'disconnected'; reason: string; at: number }
  | { type: 'moveSelection'; delta: number }
  | { type: 'selectAccount'; accountId: string }
  | { type: 'cycleFocus'; step: 1 | -1 }
  | { type: 'focusPane'; pane: Pane }
  | { type: 'cycleEventFilter'; step: 1 | -1 }
  | { type: 'clearEventQuery' }
  /** Positive scrolls towards older events; `visible` is how many lines the pane shows. */
  | { type: 'scrollEvents'; delta: number; visible: number }
  /** `ifCurrent`: only when the current mode is of that kind (answers that arrive late must not clobber a newer mode). */
  | { type: 'setMode'; mode: Mode; ifCurrent?: Mode['kind'] }
  | { type: 'editPrompt'; edit: PromptEdit }
  | { type: 'promptError'; error: string }
  | { type: 'modelsLoaded'; accountId: string; choices: ModelChoice[] }
  | { type: 'moveModelChoice'; delta: number }
  | { type: 'notify'; notice: Notice }
  | { type: 'clearNotice' }
  /** A result line that has been read: cleared unless a newer one replaced it. */
  | { type: 'expireNotice'; id: number };

const NORMAL: Mode = { kind: 'normal' };

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

export function tuiReducer(state: TuiState, action: TuiAction): TuiState {
  switch (action.type) {
    case 'stateReceived':
      return receiveView(state, action.view);
    case 'eventsReceived':
      return receiveEvents(state, action.events);
    case 'historyReceived': {
      // Live events that raced ahead of the history request are newer than all of it: keep them.
      const newest = action.events.reduce((max, e) => Math.max(max, e.id), 0);
      const racing = state.events.filter((e) => e.id > newest);
      return {
        ...state,
        events: [...action.events, ...racing].sort((a, b) => a.id - b.id).slice(-EVENT_BUFFER),
        eventScroll: 0,
      };
    }
    case 'disconnected': {
      // Keep when the outage began, so the status line can say how long it lasts; show the latest reason.
      // A result line from before the outage would hide it, so it goes.
      // Live traffic is over with the daemon that served it: no request stays "in flight" on screen.
      const prev = state.connection;
      const already = prev.status === 'reconnecting';
      return {
        ...state,
        connection: { status: 'reconnecting', reason: action.reason, since: already ? prev.since : action.at },
        view: state.view?.traffic ? { ...state.view, traffic: undefined } : state.view,
        notice: already ? state.notice : null,
      };
    }
    case 'moveSelection': {
      const accounts = state.view?.accounts ?? [];
      if (!accounts.length) return state;
      const current = Math.max(
        0,
        accounts.findIndex((a) => a.id === state.selectedId),
      );
      const next = clamp(current + action.delta, 0, accounts.length - 1);
      return { ...state, selectedId: accounts[next]!.id };
    }
    case 'selectAccount':
      return state.view?.accounts.some((a) => a.id === action.accountId)
        ? { ...state, selectedId: action.accountId }
        : state;
    case 'cycleFocus': {
      const i = PANES.indexOf(state.pane);
      return { ...state, pane: PANES[(i + action.step + PANES.length) % PANES.length]! };
    }
    case 'focusPane':
      return { ...state, pane: action.pane };
    case 'cycleEventFilter': {
      const i = EVENT_FILTERS.indexOf(state.eventFilter);
      return {
        ...state,
        eventFilter: EVENT_FILTERS[(i + action.step + EVENT_FILTERS.length) % EVENT_FILTERS.length]!,
        eventScroll: 0,
      };
    }
    case 'clearEventQuery':
      return { ...state, eventQuery: '', eventScroll: 0 };
    case 'scrollEvents': {
      const max = Math.max(0, shownEvents(state).length - action.visible);
      return { ...state, eventScroll: clamp(state.eventScroll + action.delta, 0, max) };
    }
    case 'setMode':
      if (action.ifCurrent && state.mode.kind !== action.ifCurrent) return state;
      return { ...state, mode: action.mode };
    case 'editPrompt': {
      const mode = state.mode;
      if (mode.kind === 'search') {
        // A new filter shows its newest matches: back to following.
        return { ...state, eventQuery: edited(state.eventQuery, action.edit), eventScroll: 0 };
      }
      if (mode.kind !== 'add' && mode.kind !== 'rename') return state;
      return { ...state, mode: { ...mode, value: edited(mode.value, action.edit), error: null } };
    }
    case 'promptError': {
      const mode = state.mode;
      if (mode.kind !== 'add' && mode.kind !== 'rename') return state;
      return { ...state, mode: { ...mode, error: action.error } };
    }
    case 'modelsLoaded': {
      const mode = state.mode;
      if (mode.kind !== 'models' || mode.accountId !== action.accountId) return state;
      const current = state.view?.accounts.find((a) => a.id === action.accountId)?.model ?? null;
      const index = Math.max(
        0,
        action.choices.findIndex((c) => c.id === current),
      );
      return { ...state, mode: { ...mode, choices: action.choices, index } };
    }
    case 'moveModelChoice': {
      const mode = state.mode;
      if (mode.kind !== 'models' || !mode.choices?.length) return state;
      return { ...state, mode: { ...mode, index: clamp(mode.index + action.delta, 0, mode.choices.length - 1) } };
    }
    case 'notify':
      return { ...state, notice: action.notice };
    case 'clearNotice':
      return state.notice ? { ...state, notice: null } : state;
    case 'expireNotice':
      return state.notice?.id === action.id ? { ...state, notice: null } : state;
  }
}

/** Pasted text may carry newlines or escape sequences; a prompt keeps only printable characters. */
function edited(value: string, edit: PromptEdit): string {
  return edit.kind === 'insert'
    ? value + edit.text.replace(/[\u0000-\u001f\u007f]/g, '')
    : [...value].slice(0, -1).join('');
}

function receiveView(state: TuiState, view: StateView): TuiState {
  const ids = view.accounts.map((a) => a.id);
  let selectedId = state.selectedId;
  if (!selectedId || !ids.includes(selectedId)) {
    // First view: start on the account requests go to. A removed account: stay at its position.
    const oldIndex = state.view?.accounts.findIndex((a) => a.id === selectedId) ?? -1;
    selectedId =
      oldIndex >= 0
        ? (ids[Math.min(oldIndex, ids.length - 1)] ?? null)
        : (view.routeAccountId ?? view.activeAccountId ?? ids[0] ?? null);
  }
  const mode = 'accountId' in state.mode && !ids.includes(state.mode.accountId) ? NORMAL : state.mode;
  return { ...state, connection: { status: 'live' }, view, selectedId, mode };
}

function receiveEvents(state: TuiState, incoming: CcbEvent[]): TuiState {
  const known = new Set(state.events.map((e) => e.id));
  const fresh = incoming.filter((e) => !known.has(e.id));
  if (!fresh.length) return state;
  const events = [...state.events, ...fresh].sort((a, b) => a.id - b.id).slice(-EVENT_BUFFER);
  // While scrolled up, hold the lines in place instead of letting new events push them.
  const eventScroll = state.eventScroll ? state.eventScroll + shownEvents(state, fresh).length : 0;
  return { ...state, events, eventScroll };
}
