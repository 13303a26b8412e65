/** Collect, then print: commands build a plain object and hand it here with a human formatter. */
export interface OutputOptions {
  json?: boolean;
}

export function emit<T>(data: T, opts: OutputOptions, human: (data: T) => string): void {
  const text = opts.json ? JSON.stringify(data, null, 2) : human(data);
  if (text) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

/** Left-aligned columns; widths from the data, the last column unpadded. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
export function visibleLength(s: string): number {
  return s.replace(ANSI, '').length;
}

export function keyValues(pairs: Array<[string, string | number | boolean | null | undefined]>): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${(k + ':').padEnd(width + 1)} ${v ?? '-'}`).join('\n');
}
