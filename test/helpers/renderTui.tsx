import { render } from 'ink-testing-library';
import { CcbridgeError } from '../../src/shared/errors.js';
import type { StateView } from '../../src/shared/schemas/api.js';
import type { CcbEvent } from '../../src/shared/schemas/events.js';
import type { FeedClient } from '../../src/tui/followDaemon.js';
import { TuiRoot } from '../../src/tui/TuiRoot.js';
import type { Size } from '../../src/tui/view/layout.js';

/**
 * The shared test render helper: TuiRoot against an in-memory daemon that speaks the control API's
 * shapes (state and events over the stream, recorded requests, 404 for routes it does not know).
 */
export interface FakeDaemon extends FeedClient {
  requests: Array<{ method: string; path: string; body?: unknown }>;
  pushState(view: StateView): void;
  pushEvent(event: CcbEvent): void;
  /** Ends the current stream, as a daemon shutting down does. */
  drop(): void;
  /** While down, stream and requests fail like an unreachable socket. */
  down: boolean;
}

type Route = (body: unknown) => unknown;

export function fakeDaemon(
  view: StateView,
  opts: { history?: CcbEvent[]; routes?: Record<string, Route> } = {},
): FakeDaemon {
  let emit: ((event: string, data: unknown) => void) | null = null;
  let end: (() => void) | null = null;
  let current = view;
  const unreachable = () =>
    new CcbridgeError('daemon_down', 'the ccbridge daemon is not running (no answer on /tmp/s.sock)');
  const daemon: FakeDaemon = {
    requests: [],
    down: false,
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      if (daemon.down) throw unreachable();
      if (method === 'GET' && path.startsWith('/api/events?')) return { events: opts.history ?? [] } as T;
      daemon.requests.push(body === undefined ? { method, path } : { method, path, body });
      const route = opts.routes?.[`${method} ${path}`];
      if (!route) throw new CcbridgeError('not_found', `no route ${method} ${path}`, { status: 404 });
      return route(body) as T;
    },
    async stream(_path, onEvent, signal) {
      if (daemon.down) throw unreachable();
      emit = onEvent;
      onEvent('state', current);
      await new Promise<void>((resolve) => {
        end = resolve;
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
      emit = null;
    },
    pushState(next) {
      current = next;
      emit?.('state', next);
    },
    pushEvent(event) {
      emit?.('event', event);
    },
    drop() {
      end?.();
    },
  };
  return daemon;
}

export const KEYS = {
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  enter: '\r',
  escape: '\u001b',
  tab: '\t',
  backspace: '\u007f',
} as const;

/** Lets React effects (scheduled with setImmediate, which tests keep real) and promises settle. */
export async function settle(rounds = 6): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

export async function renderTui(
  daemon: FakeDaemon,
  opts: {
    size?: Size;
    env?: Record<string, string | undefined>;
    startDaemon?: () => Promise<void>;
    canOpenUrls?: boolean;
  } = {},
) {
  const size = opts.size ?? { columns: 80, rows: 24 };
  const env = opts.env ?? { NO_COLOR: '1' };
  // Tests never launch a browser: URLs the TUI opens are recorded instead.
  const opened: string[] = [];
  const openUrl = (url: string) => {
    opened.push(url);
    return opts.canOpenUrls ?? true;
  };
  const app = render(
    <TuiRoot
      client={daemon}
      startDaemon={opts.startDaemon ?? (async () => {})}
      size={size}
      env={env}
      openUrl={openUrl}
    />,
  );
  await settle();
  return {
    ...app,
    opened,
    /** The current screen, each line right-trimmed. */
    screen(): string {
      return (app.lastFrame() ?? '')
        .split('\n')
        .map((l) => l.trimEnd())
        .join('\n');
    },
    /**
     * What an 80-column terminal shows of the frame: OSC 8 links drawn as their text, a line longer than
     * the terminal soft-wrapped onto the next rows, and whatever that pushes past the bottom scrolled off
     * the top.
     */
    terminal(): string[] {
      const rows = (app.lastFrame() ?? '')
        .replace(/\u001b\]8;;[^\u0007]*\u0007/g, '')
        .split('\n')
        .flatMap((line) => {
          const chars = [...line];
          const out: string[] = [];
          for (let i = 0; i < Math.max(1, chars.length); i += size.columns)
            out.push(
              chars
                .slice(i, i + size.columns)
                .join('')
                .trimEnd(),
            );
          return out;
        });
      return rows.slice(-size.rows);
    },
    /** The bottom line: prompt, question, result or key hints. */
    footer(): string {
      return this.screen().split('\n').at(-1) ?? '';
    },
    /** The top line: connection and status. */
    statusRow(): string {
      return this.screen().split('\n')[0] ?? '';
    },
    async press(...keys: string[]) {
      for (const key of keys) {
        app.stdin.write(key);
        await settle();
      }
    },
  };
}
