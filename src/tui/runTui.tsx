import { render } from 'ink';
import { connectDaemon, startDaemon } from '../client/daemonClient.js';
import { CcbridgeError } from '../shared/errors.js';
import { TuiRoot } from './TuiRoot.js';

const ENTER_ALT_SCREEN = '\u001b[?1049h';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';

/**
 * `ccbridge tui`: starts the daemon if needed, then runs the dashboard on the terminal's alternate
 * screen (the shell's scrollback is left as it was) until q, ctrl+c, SIGTERM or SIGHUP.
 */
export async function runTui(): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new CcbridgeError(
      'not_a_terminal',
      '`ccbridge tui` needs an interactive terminal; in scripts use `ccbridge status`, `list --json` or `logs -f`',
    );
  }
  const client = await connectDaemon();
  const leave = () => process.stdout.write(LEAVE_ALT_SCREEN);
  process.stdout.write(ENTER_ALT_SCREEN);
  process.once('exit', leave);
  const app = render(<TuiRoot client={client} startDaemon={() => startDaemon(client).then(() => undefined)} />, {
    exitOnCtrlC: true,
    patchConsole: true,
  });
  const stop = () => app.unmount();
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  try {
    await app.waitUntilExit();
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGHUP', stop);
    process.off('exit', leave);
    leave();
  }
}
