import { Box } from 'ink';
import type { StateView } from '../../shared/schemas/api.js';
import type { Connection, Mode, Notice, Pane } from '../state/tuiState.js';
import type { Theme } from '../theme.js';
import { fitLine, seg } from '../view/line.js';
import { MIN_SIZE, type Size } from '../view/layout.js';
import { footerLine, statusLine, trafficLine } from '../view/statusView.js';
import { LineText } from './LineText.js';

export function StatusBar(props: {
  view: StateView | null;
  connection: Connection;
  now: number;
  width: number;
  theme: Theme;
}) {
  return (
    <LineText
      line={fitLine(statusLine(props.view, props.connection, props.now, props.width), props.width)}
      theme={props.theme}
    />
  );
}

export function TrafficBar(props: { view: StateView | null; width: number; theme: Theme }) {
  return <LineText line={fitLine(trafficLine(props.view, props.width), props.width)} theme={props.theme} />;
}

export function Footer(props: {
  view: StateView | null;
  mode: Mode;
  query: string;
  pane: Pane;
  notice: Notice | null;
  connection: Connection;
  width: number;
  theme: Theme;
}) {
  return <LineText line={fitLine(footerLine(props), props.width)} theme={props.theme} />;
}

export function TooSmall({ size, theme }: { size: Size; theme: Theme }) {
  const lines = [
    [seg(`terminal too small: ${size.columns}×${size.rows}`, 'warn', true)],
    [seg(`ccbridge tui needs ${MIN_SIZE.columns}×${MIN_SIZE.rows}`)],
    [seg('q quits', 'muted')],
  ];
  return (
    <Box flexDirection="column">
      {lines.slice(0, size.rows).map((line, i) => (
        <LineText key={i} line={fitLine(line, size.columns)} theme={theme} />
      ))}
    </Box>
  );
}
