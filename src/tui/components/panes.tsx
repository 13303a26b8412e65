import { Box as InkBox } from 'ink';
import type { AccountView, StateView, Traffic } from '../../shared/schemas/api.js';
import type { LoginSession } from '../../shared/schemas/auth.js';
import type { CcbEvent } from '../../shared/schemas/events.js';
import { loginUrl } from '../state/selectors.js';
import type { EventFilter, ModelChoice } from '../state/tuiState.js';
import type { Theme } from '../theme.js';
import { accountLines } from '../view/accountColumns.js';
import { eventsPage } from '../view/eventsPage.js';
import { inflightLines } from '../view/inflightLines.js';
import { innerLines, innerWidth, physicalRows, type Box } from '../view/layout.js';
import { limitsLines } from '../view/limitsLines.js';
import { connectLines, helpLines, loginLines, modelLines } from '../view/panelsView.js';
import { Pane } from './Pane.js';
import { UrlLine } from './UrlLine.js';

/** The dashboard's panes: props in, frame out. The view functions decide the text. */

export function AccountsPane(props: {
  view: StateView | null;
  selectedId: string | null;
  box: Box;
  focused: boolean;
  theme: Theme;
}) {
  const { view, box } = props;
  const count = view?.accounts.length ?? 0;
  const shown = Math.min(count, innerLines(box) - 1);
  return (
    <Pane
      title={view ? `Accounts · ${view.settings.routing} routing` : 'Accounts'}
      note={count > shown ? `${shown} of ${count}` : undefined}
      box={box}
      focused={props.focused}
      theme={props.theme}
      lines={accountLines(view, props.selectedId, innerWidth(box), innerLines(box))}
    />
  );
}

export function LimitsPane(props: {
  account: AccountView | null;
  now: number;
  box: Box;
  focused: boolean;
  theme: Theme;
}) {
  const { account, box } = props;
  const lines = limitsLines(account, props.now, innerWidth(box));
  const hidden = lines.length - innerLines(box);
  return (
    <Pane
      title={account ? `Limits · ${account.name}` : 'Limits'}
      note={hidden > 0 ? `+${hidden} more lines` : undefined}
      box={box}
      focused={props.focused}
      theme={props.theme}
      lines={lines}
    />
  );
}

/**
 * The event log, with the requests in flight under its newest line (they take at most half the pane).
 * Scrolled up, it holds still and says how many newer events wait; at the bottom it follows new ones.
 */
export function EventsPane(props: {
  events: CcbEvent[];
  filter: EventFilter;
  query: string;
  scroll: number;
  traffic: Traffic | undefined;
  now: number;
  box: Box;
  focused: boolean;
  theme: Theme;
}) {
  const { box, focused } = props;
  const live = inflightLines(props.traffic, props.now, innerWidth(box), Math.max(1, Math.floor(innerLines(box) / 2)));
  const page = eventsPage(
    props.events,
    props.filter,
    props.query,
    props.scroll,
    innerWidth(box),
    innerLines(box) - live.length,
  );
  const note = [
    page.older ? `↑${page.older}` : '',
    page.newer ? `↓${page.newer} newer · G follows` : focused ? 'following' : '',
    focused ? '←→ / filter' : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const query = props.query.trim();
  return (
    <Pane
      title={`Events · ${props.filter}${query ? ` · "${query}"` : ''}`}
      note={note || undefined}
      box={box}
      focused={focused}
      theme={props.theme}
      lines={[...page.lines, ...live]}
    />
  );
}

export function HelpPanel({ box, theme }: { box: Box; theme: Theme }) {
  return <Pane title="Keys" box={box} focused theme={theme} lines={helpLines(innerWidth(box))} />;
}

export function ConnectPanel({ account, box, theme }: { account: AccountView; box: Box; theme: Theme }) {
  return <Pane title={`Connect · ${account.name}`} box={box} focused theme={theme} lines={connectLines(account)} />;
}

/**
 * A login under way: the panel, and under it the URL to open on a line of its own (see UrlLine). The URL
 * takes `physicalRows` terminal rows, so the panel gives up that many; the Dashboard accounts for the rows
 * the terminal adds when it wraps the URL.
 */
export function LoginPanel({
  account,
  session,
  box,
  columns,
  links,
  theme,
}: {
  account: AccountView;
  session: LoginSession | null;
  box: Box;
  columns: number;
  links: boolean;
  theme: Theme;
}) {
  const url = loginUrl(session);
  const panel = { width: box.width, height: Math.max(0, box.height - (url ? physicalRows(url, columns) : 0)) };
  return (
    <InkBox flexDirection="column" width={box.width}>
      <InkBox height={panel.height}>
        <Pane
          title={`Login · ${account.name}`}
          box={panel}
          focused
          theme={theme}
          lines={loginLines(account, session)}
        />
      </InkBox>
      {url ? <UrlLine url={url} link={links} color={theme.accent} /> : null}
    </InkBox>
  );
}

export function ModelPanel(props: {
  account: AccountView;
  choices: ModelChoice[] | null;
  index: number;
  box: Box;
  theme: Theme;
}) {
  const { box } = props;
  return (
    <Pane
      title={`Model · ${props.account.name}`}
      box={box}
      focused
      theme={props.theme}
      lines={modelLines(props.account, props.choices, props.index, innerLines(box))}
    />
  );
}
