import { useInput, type Key } from 'ink';
import { useTuiActions } from '../contexts.js';
import { intentsForKey, type KeyContext } from '../input/intentsForKey.js';
import type { Mode } from '../state/tuiState.js';

/** Routes every key press through the pure key map and carries out what it asks for. */
export function useKeyBindings(ctx: KeyContext): void {
  const actions = useTuiActions();
  const handle = (input: string, key: Key) => {
    for (const intent of intentsForKey(actions.getState(), input, key, ctx)) {
      switch (intent.type) {
        case 'dispatch':
          actions.dispatch(intent.action);
          break;
        case 'run':
          void actions.run(intent.op);
          break;
        case 'startDaemon':
          actions.startDaemon();
          break;
        case 'openUrl':
          actions.openUrl(intent.url);
          break;
        case 'quit':
          actions.quit();
          break;
      }
    }
  };
  useInput((input, key) => {
    if (input.length <= 1 || !isPlainText(key)) return handle(input, key);
    // Keys typed faster than a read arrive as one string. Outside a text prompt each is its own command; in
    // one, the text goes in whole; an Enter among them is still Enter ("/warn⏎" filters and closes).
    let text = '';
    const flush = () => {
      if (text) handle(text, key);
      text = '';
    };
    for (const ch of input) {
      if (ch === '\r') {
        flush();
        handle('', { ...key, return: true });
      } else if (TEXT_PROMPTS.has(actions.getState().mode.kind)) text += ch;
      else handle(ch, key);
    }
    flush();
  });
}

const TEXT_PROMPTS: ReadonlySet<Mode['kind']> = new Set(['add', 'rename', 'search']);

function isPlainText(key: Key): boolean {
  return !(key.ctrl || key.meta || key.escape || key.return || key.tab || key.backspace || key.delete);
}
