import { tuiReducer, type TuiAction } from './tuiReducer.js';
import { initialTuiState, type TuiState } from './tuiState.js';

/**
 * The reducer behind a tiny store, outside React: key handlers read the state as of the previous
 * key (several keys can arrive in one read, before React renders again), and the feed can
 * dispatch from anywhere. React subscribes with useSyncExternalStore.
 */
export interface TuiStore {
  getState(): TuiState;
  dispatch(action: TuiAction): void;
  subscribe(listener: () => void): () => void;
}

export function createTuiStore(initial: TuiState = initialTuiState): TuiStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = tuiReducer(state, action);
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
