/**
 * Deepest nesting a request body may have. Real requests stay far below (a deep tool schema is ~30 levels);
 * the translator and the tool-schema cleaner recurse, so a body 100k levels deep must be refused before them.
 */
export const MAX_JSON_DEPTH = 256;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Index of the quote that closes the string whose content starts at `from` (memchr-fast over long strings). */
function stringEnd(text: string, from: number): number {
  let i = from;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    i = quote + 1;
  }
}

/**
 * True when JSON text nests objects/arrays deeper than `max` (brackets inside strings do not count). One pass,
 * no allocation; string contents are skipped with `indexOf`, so a 30 MB body costs milliseconds.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === QUOTE) i = stringEnd(text, i + 1);
    else if (ch === OPEN_OBJECT || ch === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (ch === CLOSE_OBJECT || ch === CLOSE_ARRAY) depth--;
  }
  return false;
}
