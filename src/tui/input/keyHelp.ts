/** The key bindings as the help overlay lists them (the key map in intentsForKey.ts implements them). */
export const KEY_HELP: ReadonlyArray<{ keys: string; does: string }> = [
  { keys: '↑ ↓  j k', does: 'select (events: scroll)' },
  { keys: 'enter  u', does: 'use: route requests to it' },
  { keys: 'D', does: 'make it the default' },
  { keys: 'c', does: 'connect: browser or device' },
  { keys: 'a', does: 'add an account' },
  { keys: 'r', does: 'rename' },
  { keys: 'e', does: 'enable / disable' },
  { keys: 'm', does: 'pick its model' },
  { keys: 'f', does: 'fast: on → off → inherit' },
  { keys: 'F', does: 'global fast mode on / off' },
  { keys: 'l', does: 'refresh its limits' },
  { keys: 'A', does: 'apply Claude Code settings' },
  { keys: 'x', does: 'delete (asks first)' },
  { keys: 'tab', does: 'next pane, shift+tab back' },
  { keys: '← →', does: 'events: filter category' },
  { keys: '/', does: 'events: filter by words' },
  { keys: 'pgup pgdn', does: 'events: page up / down' },
  { keys: 'g  G', does: 'first / last (G follows)' },
  { keys: 's', does: 'start the daemon if down' },
  { keys: 'esc', does: 'dismiss message, cancel' },
  { keys: '?', does: 'this help' },
  { keys: 'q', does: 'quit (ctrl+c too)' },
];

export const LEGEND = '★ active   ◆ default   fast "on~": inherited from the global setting';

/** The few keys the footer shows when nothing else needs the line (the events pane has its own). */
export const FOOTER_HINTS: ReadonlyArray<{ text: string; priority: number }> = [
  { text: '↑↓ select', priority: 2 },
  { text: 'u use', priority: 1 },
  { text: 'c connect', priority: 3 },
  { text: 'a add', priority: 4 },
  { text: 'm model', priority: 6 },
  { text: 'f fast', priority: 7 },
  { text: 'x delete', priority: 5 },
  { text: 'tab pane', priority: 8 },
  { text: '? help', priority: 0 },
  { text: 'q quit', priority: 0 },
];

/** The footer's keys while the events pane has the focus. */
export const EVENTS_FOOTER_HINTS: ReadonlyArray<{ text: string; priority: number }> = [
  { text: '↑↓ scroll', priority: 1 },
  { text: 'G follow', priority: 2 },
  { text: '/ filter', priority: 1 },
  { text: '←→ category', priority: 3 },
  { text: 'pgup pgdn page', priority: 6 },
  { text: 'tab pane', priority: 5 },
  { text: '? help', priority: 0 },
  { text: 'q quit', priority: 0 },
];
