import { useApp } from 'ink';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { errorMessage } from '../shared/errors.js';
import { createOpRunner } from './actions/opRunner.js';
import { TuiActionsContext, TuiStateContext, type TuiActions, type TuiStateValue } from './contexts.js';
import { followDaemon, wakeableSleep, type FeedClient } from './daemonFeed.js';
import { Dashboard } from './Dashboard.js';
import { useNow } from './hooks/useNow.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { createTuiStore, type TuiStore } from './state/tuiStore.js';
import { themeFor } from './theme.js';
import type { Size } from './view/layout.js';

export interface TuiRootProps {
  client: FeedClient;
  /** Starts the daemon; the `s` key calls it while the daemon is unreachable. */
  startDaemon: () => Promise<void>;
  /** Pins the size (tests); otherwise the terminal's, following resizes. */
  size?: Size;
  /** For NO_COLOR; defaults to process.env. */
  env?: Record<string, string | undefined>;
  store?: TuiStore;
}

/**
 * The one stateful component: it owns the store, the daemon subscription, the clock and the action
 * runner, and hands state and actions to the tree through two contexts.
 */
export function TuiRoot({ client, startDaemon, size: fixedSize, env = process.env, store: givenStore }: TuiRootProps) {
  const store = useMemo(() => givenStore ?? createTuiStore(), [givenStore]);
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const now = useNow();
  const size = useTerminalSize(fixedSize);
  const theme = useMemo(() => themeFor(env), [env]);
  const retry = useMemo(() => wakeableSleep(), []);
  const { exit } = useApp();

  useEffect(() => {
    const ctrl = new AbortController();
    void followDaemon(client, store.dispatch, ctrl.signal, { sleep: retry.sleep });
    return () => ctrl.abort();
  }, [client, store, retry]);

  const actions = useMemo<TuiActions>(
    () => ({
      getState: store.getState,
      dispatch: store.dispatch,
      run: createOpRunner(client, store.dispatch),
      startDaemon() {
        const notify = (tone: 'pending' | 'ok' | 'error', text: string) => store.dispatch({ type: 'notify', notice: { id: -2, tone, text } });
        notify('pending', 'starting the daemon…');
        startDaemon().then(
          () => {
            notify('ok', 'daemon started');
            retry.wake();
          },
          (err: unknown) => notify('error', `could not start the daemon: ${errorMessage(err)}`),
        );
      },
      quit: () => exit(),
    }),
    [client, store, startDaemon, retry, exit],
  );
  const value = useMemo<TuiStateValue>(() => ({ state, now, size, theme }), [state, now, size, theme]);

  return (
    <TuiActionsContext.Provider value={actions}>
      <TuiStateContext.Provider value={value}>
        <Dashboard />
      </TuiStateContext.Provider>
    </TuiActionsContext.Provider>
  );
}
