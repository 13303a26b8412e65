import { fit } from '../../shared/format.js';
import type { Tone } from '../state/selectors.js';

/**
 * Panes are built as lines of styled segments by pure functions, so their text can be tested
 * without React; one component paints them. A line is always fitted to its pane's exact width.
 */
export type SegmentTone = Tone | 'accent';

export interface Segment {
  text: string;
  tone?: SegmentTone;
  bold?: boolean;
}

export type Line = Segment[];

export const seg = (text: string, tone?: SegmentTone, bold?: boolean): Segment => ({
  text,
  ...(tone ? { tone } : {}),
  ...(bold ? { bold } : {}),
});

export const textLength = (text: string) => [...text].length;

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** Cuts (marking the cut with `…`) or pads a line to exactly `width` characters, keeping segment styles. */
export function fitLine(line: Line, width: number): Line {
  if (width <= 0) return [];
  const total = textLength(lineText(line));
  if (total <= width) return total === width ? line : [...line, { text: ' '.repeat(width - total) }];
  const out: Line = [];
  let room = width - 1;
  for (const s of line) {
    if (room <= 0) break;
    const chars = [...s.text];
    const kept = chars.slice(0, room);
    out.push(kept.length === chars.length ? s : { ...s, text: kept.join('') });
    room -= kept.length;
  }
  out.push({ text: '…' });
  return out;
}

/** A fixed-width cell. */
export const cell = (
  text: string,
  width: number,
  tone?: SegmentTone,
  align: 'left' | 'right' = 'left',
  bold?: boolean,
): Segment => seg(fit(text, width, align), tone, bold);

/** Text from the daemon on one line, without control characters that could move the cursor. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}
