/** Where each pane goes for a terminal size. Pure, so every size can be tested without a terminal. */

export interface Size {
  columns: number;
  rows: number;
}

export const MIN_SIZE: Size = { columns: 60, rows: 16 };
/** From this width the limits and events panes sit side by side. */
const SIDE_BY_SIDE = 120;

export interface Box {
  width: number;
  height: number;
}

export interface Layout {
  /** Below MIN_SIZE the dashboard shows only a "make the terminal bigger" message. */
  tooSmall: boolean;
  accounts: Box;
  /** The area under the accounts pane: limits and events, or one overlay panel. */
  lower: Box;
  limits: Box;
  events: Box;
  sideBySide: boolean;
}

/** Lines inside a bordered pane of this height. */
export const innerLines = (box: Box) => Math.max(0, box.height - 2);
/** Characters inside a bordered pane of this width (border and one space each side). */
export const innerWidth = (box: Box) => Math.max(0, box.width - 4);

/** Terminal rows a line of this text takes once the terminal soft-wraps it at `columns`. */
export const physicalRows = (text: string, columns: number) =>
  Math.max(1, Math.ceil([...text].length / Math.max(1, columns)));

/**
 * The whole screen is exactly `rows` lines: a status line, a traffic line, the accounts pane, the lower
 * panes and a footer line. Filling the terminal makes Ink repaint the full screen on every frame, so a resize
 * can never leave stale lines behind.
 */
export function planLayout(size: Size, accountCount: number, limitLines: number): Layout {
  const { columns, rows } = size;
  const tooSmall = columns < MIN_SIZE.columns || rows < MIN_SIZE.rows;
  const body = Math.max(0, rows - 3);
  // Header row + one per account, capped so the lower panes keep at least half the body.
  const accountRows = Math.min(Math.max(1, accountCount), Math.max(2, Math.floor(body / 2) - 3));
  const accounts = { width: columns, height: accountRows + 3 };
  const lower = { width: columns, height: Math.max(0, body - accounts.height) };
  const sideBySide = columns >= SIDE_BY_SIDE;
  if (sideBySide) {
    const limitsWidth = Math.floor(columns * 0.45);
    return {
      tooSmall,
      accounts,
      lower,
      limits: { width: limitsWidth, height: lower.height },
      events: { width: columns - limitsWidth, height: lower.height },
      sideBySide,
    };
  }
  // Stacked: limits as tall as their content (but no more than half), events get the rest.
  const limitsHeight = Math.min(Math.max(3, limitLines + 2), Math.max(3, Math.floor(lower.height / 2)));
  return {
    tooSmall,
    accounts,
    lower,
    limits: { width: columns, height: limitsHeight },
    events: { width: columns, height: Math.max(0, lower.height - limitsHeight) },
    sideBySide,
  };
}
