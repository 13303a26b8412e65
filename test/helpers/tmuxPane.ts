import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { TestHome } from './cli.js';

/** tmux, where installed (CI installs it): TUI tests type into a real pseudo-terminal through it. */
export const TMUX = ['/usr/bin/tmux', '/usr/local/bin/tmux', '/opt/homebrew/bin/tmux'].find((p) => existsSync(p));

export interface TmuxPane {
  tmux(...args: string[]): string;
  /** The pane's rows as the terminal shows them (`-J` joins the rows a long line wrapped onto). */
  screen(opts?: string[]): string;
  waitForScreen(predicate: (text: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** Ends the tmux server, and with it the pane. */
  kill(): void;
}

/**
 * A private tmux server for a test home: its panes get exactly the home's environment. Sessions are
 * named `ccb` (`new-session -s ccb …`).
 */
export function tmuxPane(home: TestHome): TmuxPane {
  const sock = join(home.dir, 'tmux.sock');
  const tmux = (...args: string[]) =>
    execFileSync(TMUX!, ['-S', sock, '-f', '/dev/null', ...args], {
      env: { ...home.env, TERM: 'xterm-256color' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  // capture-pane ends the last row with a newline.
  const screen = (opts: string[] = []) => tmux('capture-pane', '-p', '-t', 'ccb', ...opts).replace(/\n$/, '');
  return {
    tmux,
    screen,
    waitForScreen(predicate, what, timeoutMs = 5000) {
      return vi.waitFor(
        () => {
          let last: string;
          try {
            last = screen();
          } catch {
            last = '(no tmux session)';
          }
          if (!predicate(last)) throw new Error(`timed out waiting for ${what}; screen was:\n${last}`);
          return last;
        },
        { timeout: timeoutMs, interval: 50 },
      );
    },
    kill() {
      try {
        tmux('kill-server');
      } catch {
        // Already gone: the server ends with its last session.
      }
    },
  };
}
