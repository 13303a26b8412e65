import { Text } from 'ink';
import type { Theme } from '../theme.js';
import type { Line } from '../view/line.js';

/** Paints one prepared line; the text is already fitted, so it never wraps. */
export function LineText({ line, theme }: { line: Line; theme: Theme }) {
  return (
    <Text wrap="truncate">
      {line.map((s, i) => (
        <Text key={i} color={s.tone ? theme[s.tone] : undefined} bold={s.bold}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}
