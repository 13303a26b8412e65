import { Box, Text } from 'ink';
import { truncate } from '../../shared/format.js';
import type { Theme } from '../theme.js';
import { fitLine, textLength, type Line } from '../view/line.js';
import type { Box as PaneBox } from '../view/layout.js';
import { LineText } from './LineText.js';

const THIN = { h: '─', v: '│', tl: '┌', tr: '┐', bl: '└', br: '┘' };
const HEAVY = { h: '━', v: '┃', tl: '┏', tr: '┓', bl: '┗', br: '┛' };

export interface PaneProps {
  title: string;
  /** Right side of the top border (counts, scroll position). */
  note?: string;
  box: PaneBox;
  focused?: boolean;
  lines: Line[];
  theme: Theme;
}

/**
 * A bordered pane of an exact size with its title in the top border. The focused pane has a heavy
 * border, which stays visible without color.
 */
export function Pane({ title, note, box, focused = false, lines, theme }: PaneProps) {
  if (box.height < 2 || box.width < 4) return null;
  const b = focused ? HEAVY : THIN;
  const inner = box.width - 4;
  const color = focused ? theme.focus : theme.border;
  const head = `${b.tl}${b.h} ${truncate(title, box.width - 5)} `;
  const withNote = note ? ` ${note} ${b.h}${b.tr}` : `${b.tr}`;
  const tail = textLength(head) + textLength(withNote) <= box.width ? withNote : b.tr;
  const fill = Math.max(0, box.width - textLength(head) - textLength(tail));
  const body = Array.from({ length: box.height - 2 }, (_, i) => fitLine(lines[i] ?? [], inner));
  return (
    <Box flexDirection="column" width={box.width} height={box.height}>
      <Text wrap="truncate" color={color} bold={focused}>
        {head + b.h.repeat(fill) + tail}
      </Text>
      {body.map((line, i) => (
        <Box key={i}>
          <Text color={color}>{`${b.v} `}</Text>
          <LineText line={line} theme={theme} />
          <Text color={color}>{` ${b.v}`}</Text>
        </Box>
      ))}
      <Text wrap="truncate" color={color}>
        {b.bl + b.h.repeat(box.width - 2) + b.br}
      </Text>
    </Box>
  );
}
