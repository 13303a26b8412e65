import { createContext, useContext } from 'react';
import type { RunOp } from './actions/createOpRunner.js';
import type { TuiAction } from './state/tuiReducer.js';
import type { TuiState } from './state/tuiState.js';
import type { Theme } from './theme.js';
import type { Size } from './view/layout.js';

/** What the panes render from: the reducer's state plus the clock, the terminal size and its abilities. */
export interface TuiStateValue {
  state: TuiState;
  now: number;
  size: Size;
  theme: Theme;
  /** The terminal shows OSC 8 hyperlinks. */
  links: boolean;
}

/** Everything a key can make happen. */
export interface TuiActions {
  /** The latest state, for key handlers (may be newer than the last render). */
  getState(): TuiState;
  dispatch(action: TuiAction): void;
  run: RunOp;
  startDaemon(): void;
  /** Opens a URL in the user's browser, saying inline whether it could. */
  openUrl(url: string): void;
  quit(): void;
}

export const TuiStateContext = createContext<TuiStateValue | null>(null);
export const TuiActionsContext = createContext<TuiActions | null>(null);

export function useTuiState(): TuiStateValue {
  const value = useContext(TuiStateContext);
  if (!value) throw new Error('useTuiState outside <TuiRoot>');
  return value;
}

export function useTuiActions(): TuiActions {
  const value = useContext(TuiActionsContext);
  if (!value) throw new Error('useTuiActions outside <TuiRoot>');
  return value;
}
