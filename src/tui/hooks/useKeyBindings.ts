import { useInput, type Key } from 'ink';
import { useTuiActions } from '../contexts.js';
import { intentsForKey, type KeyContext } from '../input/intentsForKey.js';

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
    // Keys typed faster than a read arrive as one string; outside a text prompt each is its own command.
    const mode = actions.getState().mode.kind;
    if (input.length > 1 && mode !== 'add' && mode !== 'rename' && mode !== 'search' && isPlainText(key)) {
      for (const ch of input) handle(ch, key);
    } else {
      handle(input, key);
    }
  });
}

function isPlainText(key: Key): boolean {
  return !(key.ctrl || key.meta || key.escape || key.return || key.tab || key.backspace || key.delete);
}
