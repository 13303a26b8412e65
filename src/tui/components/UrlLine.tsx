import { Box, Text } from 'ink';
import { textLength } from '../view/line.js';

/**
 * A URL as one line of its own, from the first column, with nothing else on it: a box exactly as wide
 * as the URL, so Ink neither wraps nor cuts it. Longer than the terminal, the terminal soft-wraps it and
 * copying still gives the URL in one piece (the Dashboard leaves room for the extra rows). With `link`,
 * it is also an OSC 8 hyperlink to itself (BEL-terminated, the form Ink's output keeps). The URL must be
 * printable (`loginUrl` makes it so): a control character could end the link or move the cursor.
 */
export function UrlLine({ url, link, color }: { url: string; link: boolean; color?: string }) {
  return (
    <Box width={textLength(url)} flexShrink={0}>
      <Text color={color}>{link ? `\u001b]8;;${url}\u0007${url}\u001b]8;;\u0007` : url}</Text>
    </Box>
  );
}
