import { useApp, useStdout } from 'ink';
import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { canOpenBrowser, openBrowser } from '../client/openBrowser.js';
import { errorMessage } from '../shared/errors.js';
import { createOpRunner } from './actions/createOpRunner.js';
import { TuiActionsContext, TuiStateContext, type TuiActions, type TuiStateValue } from './contexts.js';
import { followDaemon, wakeableSleep, type FeedClient } from './followDaemon.js';
import { Dashboard } from './Dashboard.js';
import { useNow } from './hooks/useNow.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { shownLoginSession } from './state/selectors.js';
import { createTuiStore, type TuiStore } from './state/tuiStore.js';
import { supportsHyperlinks } from './supportsHyperlinks.js';
import { themeFor } from './theme.js';
import type { Size } from './view/layout.js';

export interface TuiRootProps {
  client: FeedClient;
  /** Starts the daemon; the `s` key calls it while the daemon is unreachable. */
  startDaemon: () => Promise<void>;
  /** Pins the size (tests); otherwise the terminal's, following resizes. */
  size?: Size;
  /** For NO_COLOR and hyperlink support; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Opens a URL in a browser; false when this machine has none. Defaults to the CLI's opener. */
  openUrl?: (url: string) => boolean;
  store?: TuiStore;
}

/**
 * The one stateful component: it owns the store, the daemon subscription, the clock and the action
 * runner, and hands state and actions to the tree through two contexts.
 */
export function TuiRoot({
  client,
  startDaemon,
  size: fixedSize,
  env = process.env,
  openUrl = openInBrowser,
  store: givenStore,
}: TuiRootProps) {
  const store = useMemo(() => givenStore ?? createTuiStore(), [givenStore]);
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const now = useNow();
  const size = useTerminalSize(fixedSize);
  const theme = useMemo(() => themeFor(env), [env]);
  const { stdout } = useStdout();
  const links = useMemo(() => supportsHyperlinks(env, stdout.isTTY === true), [env, stdout]);
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
        const notify = (tone: 'pending' | 'ok' | 'error', text: string) =>
          store.dispatch({ type: 'notify', notice: { id: -2, tone, text } });
        notify('pending', 'starting the daemon…');
        startDaemon().then(
          () => {
            notify('ok', 'daemon started');
            retry.wake();
          },
          (err: unknown) => notify('error', `could not start the daemon: ${errorMessage(err)}`),
        );
      },
      openUrl(url) {
        const opened = openUrl(url);
        store.dispatch({
          type: 'notify',
          notice: opened
            ? { id: -3, tone: 'ok', text: 'opened the sign-in page in your browser' }
            : {
                id: -3,
                tone: 'error',
                text: 'no browser on this machine (no DISPLAY or BROWSER); open the URL by hand',
              },
        });
      },
      quit: () => exit(),
    }),
    [client, store, startDaemon, retry, openUrl, exit],
  );

  // A browser login started here opens its sign-in page once the daemon knows the URL, like `ccbridge connect`.
  const autoOpened = useRef(new Set<string>());
  useEffect(() => {
    const mode = state.mode;
    if (mode.kind !== 'login' || !mode.autoOpen) return;
    const session = shownLoginSession(state);
    if (
      session?.kind !== 'browser' ||
      session.state !== 'waiting' ||
      !session.authUrl ||
      autoOpened.current.has(session.id)
    )
      return;
    autoOpened.current.add(session.id);
    actions.openUrl(session.authUrl);
  }, [state, actions]);
  const value = useMemo<TuiStateValue>(() => ({ state, now, size, theme, links }), [state, now, size, theme, links]);

  return (
    <TuiActionsContext.Provider value={actions}>
      <TuiStateContext.Provider value={value}>
        <Dashboard />
      </TuiStateContext.Provider>
    </TuiActionsContext.Provider>
  );
}

function openInBrowser(url: string): boolean {
  if (!canOpenBrowser()) return false;
  openBrowser(url);
  return true;
}
