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
import { Footer, StatusBar, TooSmall } from './components/bars.js';
import { useKeyBindings } from './hooks/useKeyBindings.js';
import { accountById, latestLoginSession, selectedAccount } from './state/selectors.js';
import type { TuiState } from './state/tuiState.js';
import type { Theme } from './theme.js';
import { innerLines, planLayout, type Layout } from './view/layout.js';
import { limitsLines } from './view/limitsLines.js';

/** The screen: status line, accounts, the lower panes (or an overlay panel), footer. Exactly rows × columns. */
export function Dashboard() {
  const { state, now, size, theme } = useTuiState();
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
  return (
    <Box flexDirection="column" width={size.columns} height={size.rows}>
      <StatusBar view={view} connection={connection} now={now} width={size.columns} theme={theme} />
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
          <LowerArea state={state} now={now} layout={layout} theme={theme} />
        </>
      )}
      <Footer view={view} mode={mode} notice={notice} connection={connection} width={size.columns} theme={theme} />
    </Box>
  );
}

/** Limits and events, or the panel of the interaction under way (connect, login, model). */
function LowerArea({ state, now, layout, theme }: { state: TuiState; now: number; layout: Layout; theme: Theme }) {
  const { mode, view } = state;
  const account = 'accountId' in mode ? accountById(view, mode.accountId) : null;
  if (account && mode.kind === 'connect') return <ConnectPanel account={account} box={layout.lower} theme={theme} />;
  if (account && mode.kind === 'login') {
    return (
      <LoginPanel
        account={account}
        session={latestLoginSession(view, account.id) ?? mode.session}
        box={layout.lower}
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
        scroll={state.eventScroll}
        box={layout.events}
        focused={state.pane === 'events'}
        theme={theme}
      />
    </Box>
  );
}
