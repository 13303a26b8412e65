import { truncate } from '../shared/format.js';

/** Collect, then print: commands build a plain object and hand it here with a human formatter. */
export interface OutputOptions {
  json?: boolean;
}

export function emit<T>(data: T, opts: OutputOptions, human: (data: T) => string): void {
  const text = opts.json ? JSON.stringify(data, null, 2) : human(data);
  if (text) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

/** The width human output fits: the terminal's, or 80 columns when it is not a terminal. */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
  return stream.isTTY && stream.columns ? stream.columns : 80;
}

/** How a column gives way when a table is too wide: shrink (truncated with …) down to `min`, or be dropped. */
export interface ColumnFit {
  /** Lower goes first. */
  order: number;
  mode: 'shrink' | 'drop';
  /** Narrowest a shrinking column gets (default 8). */
  min?: number;
}

/**
 * A table that fits `width` columns: wide columns shrink or drop in their order (by header name) until it fits.
 * Cells carry no colour codes here.
 */
export function fittedTable(rows: string[][], width: number, fits: Record<string, ColumnFit>): string {
  let cols = rows[0]!.map((_, i) => i);
  const cut: Record<number, number> = {};
  const widthOf = (i: number) => Math.min(cut[i] ?? Infinity, Math.max(...rows.map((r) => visibleLength(r[i] ?? ''))));
  const total = () => cols.reduce((sum, i) => sum + widthOf(i), 0) + 2 * (cols.length - 1);
  const steps = Object.entries(fits)
    .map(([name, fit]) => ({ index: rows[0]!.indexOf(name), ...fit }))
    .filter((s) => s.index >= 0)
    .sort((a, b) => a.order - b.order);
  for (const step of steps) {
    if (total() <= width) break;
    if (step.mode === 'drop') cols = cols.filter((i) => i !== step.index);
    else cut[step.index] = Math.max(step.min ?? 8, widthOf(step.index) - (total() - width));
  }
  return table(rows.map((r) => cols.map((i) => truncate(r[i] ?? '', cut[i] ?? Infinity))));
}

/** Left-aligned columns; widths from the data, the last column unpadded. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const ANSI = /\x1b\[[0-9;]*m/g;
export function visibleLength(s: string): number {
  return s.replace(ANSI, '').length;
}

/** `key: value` lines, keys aligned; a value too long for `width` wraps between words under itself. */
export function keyValues(
  pairs: Array<[string, string | number | boolean | null | undefined]>,
  width = Infinity,
): string {
  const keyWidth = Math.max(...pairs.map(([k]) => k.length)) + 2;
  return pairs
    .map(([k, v]) =>
      wrapWords(String(v ?? '-'), Math.max(20, width - keyWidth))
        .map((line, i) => (i === 0 ? `${(k + ':').padEnd(keyWidth - 1)} ${line}` : `${' '.repeat(keyWidth)}${line}`))
        .join('\n'),
    )
    .join('\n');
}

/** Lines of at most `width` characters, broken at spaces (a longer word stands alone). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}
