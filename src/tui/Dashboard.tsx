import { Box } from 'ink';
import { useTuiState } from './contexts.js';
import {
  AccountsPane,
  ConnectPanel,
  EventsPane,
  HelpPanel,
  LimitsPane,
  LoginPanel,
  ModelPanel,
} from './components/panes.js';
import { Footer, StatusBar, TooSmall, TrafficBar } from './components/bars.js';
import { useKeyBindings } from './hooks/useKeyBindings.js';
import { accountById, loginUrl, selectedAccount, shownLoginSession } from './state/selectors.js';
import type { TuiState } from './state/tuiState.js';
import type { Theme } from './theme.js';
import { innerLines, physicalRows, planLayout, type Layout } from './view/layout.js';
import { limitsLines } from './view/limitsLines.js';

/** The screen: status line, accounts, the lower panes (or an overlay panel), footer. Exactly rows × columns. */
export function Dashboard() {
  const { state, now, size, theme, links } = useTuiState();
  const selected = selectedAccount(state);
  const layout = planLayout(
    size,
    state.view?.accounts.length ?? 0,
    limitsLines(selected, now, size.columns - 4).length,
  );
  useKeyBindings({ eventLines: innerLines(layout.events) });

  if (layout.tooSmall) {
    return (
      <Box width={size.columns} height={size.rows}>
        <TooSmall size={size} theme={theme} />
      </Box>
    );
  }
  const { view, mode, connection, notice } = state;
  // A login URL longer than a row is soft-wrapped by the terminal into rows Ink does not count (LoginPanel
  // leaves them room). The screen keeps exactly `rows` Ink lines, so Ink still repaints it whole, by
  // starting with as many blank lines as the wrap adds: writing past the bottom scrolls them off the top.
  const url = loginUrl(shownLoginSession(state));
  const wrapRows = url ? physicalRows(url, size.columns) - 1 : 0;
  return (
    <Box flexDirection="column" width={size.columns} height={size.rows}>
      {wrapRows > 0 ? <Box height={wrapRows} flexShrink={0} /> : null}
      <StatusBar view={view} connection={connection} now={now} width={size.columns} theme={theme} />
      <TrafficBar view={view} width={size.columns} theme={theme} />
      {mode.kind === 'help' ? (
        <HelpPanel box={{ width: size.columns, height: layout.accounts.height + layout.lower.height }} theme={theme} />
      ) : (
        <>
          <AccountsPane
            view={view}
            selectedId={state.selectedId}
            box={layout.accounts}
            focused={state.pane === 'accounts'}
            theme={theme}
          />
          <LowerArea state={state} now={now} layout={layout} theme={theme} links={links} />
        </>
      )}
      <Footer
        view={view}
        mode={mode}
        query={state.eventQuery}
        pane={state.pane}
        notice={notice}
        connection={connection}
        width={size.columns}
        theme={theme}
      />
    </Box>
  );
}

/** Limits and events, or the panel of the interaction under way (connect, login, model). */
function LowerArea({
  state,
  now,
  layout,
  theme,
  links,
}: {
  state: TuiState;
  now: number;
  layout: Layout;
  theme: Theme;
  links: boolean;
}) {
  const { mode, view } = state;
  const account = 'accountId' in mode ? accountById(view, mode.accountId) : null;
  if (account && mode.kind === 'connect') return <ConnectPanel account={account} box={layout.lower} theme={theme} />;
  if (account && mode.kind === 'login') {
    return (
      <LoginPanel
        account={account}
        session={shownLoginSession(state)}
        box={layout.lower}
        columns={layout.lower.width}
        links={links}
        theme={theme}
      />
    );
  }
  if (account && mode.kind === 'models') {
    return <ModelPanel account={account} choices={mode.choices} index={mode.index} box={layout.lower} theme={theme} />;
  }
  return (
    <Box flexDirection={layout.sideBySide ? 'row' : 'column'}>
      <LimitsPane
        account={selectedAccount(state)}
        now={now}
        box={layout.limits}
        focused={state.pane === 'limits'}
        theme={theme}
      />
      <EventsPane
        events={state.events}
        filter={state.eventFilter}
        query={state.eventQuery}
        scroll={state.eventScroll}
        traffic={state.view?.traffic}
        now={now}
        box={layout.events}
        focused={state.pane === 'events'}
        theme={theme}
      />
    </Box>
  );
}
