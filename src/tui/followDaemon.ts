import { errorMessage } from '../shared/errors.js';
import { StateViewSchema } from '../shared/schemas/api.js';
import { EventSchema } from '../shared/schemas/events.js';
import { callControl, controlApi, type ControlTransport } from '../client/controlApi.js';
import type { TuiAction } from './state/tuiReducer.js';

export interface FeedClient extends ControlTransport {
  stream(path: string, onEvent: (event: string, data: unknown) => void, signal?: AbortSignal): Promise<void>;
}

export interface FeedOptions {
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  historyLimit?: number;
}

const INCOMPATIBLE = 'the daemon sent a state this TUI does not understand; after an upgrade run `ccbridge restart`';

/** Retry delays after losing the daemon: quick at first (a restart takes ~1 s), then every 2 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(2000, 250 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Follows the daemon until `signal` aborts: subscribes to the live stream, loads the recent event
 * log once the first state arrives, and when the stream ends or the daemon is unreachable reports
 * `disconnected` and retries with backoff. It never starts the daemon: a daemon that was stopped
 * on purpose stays stopped until the user asks.
 */
export async function followDaemon(
  client: FeedClient,
  dispatch: (action: TuiAction) => void,
  signal: AbortSignal,
  opts: FeedOptions = {},
): Promise<void> {
  const sleep = opts.sleep ?? abortableSleep;
  const now = opts.now ?? Date.now;
  let attempt = 0;
  while (!signal.aborted) {
    let reason = 'the daemon closed the connection';
    try {
      let first = true;
      await client.stream(
        '/api/events/stream',
        (event, data) => {
          if (event === 'state') {
            const view = StateViewSchema.safeParse(data);
            if (!view.success) {
              dispatch({ type: 'notify', notice: { id: 0, tone: 'error', text: INCOMPATIBLE } });
              return;
            }
            dispatch({ type: 'stateReceived', view: view.data });
            if (first) {
              first = false;
              attempt = 0;
              void loadHistory(client, dispatch, opts.historyLimit ?? 200);
            }
          } else if (event === 'event') {
            const parsed = EventSchema.safeParse(data);
            if (parsed.success) dispatch({ type: 'eventsReceived', events: [parsed.data] });
          }
        },
        signal,
      );
    } catch (err) {
      reason = errorMessage(err);
    }
    if (signal.aborted) return;
    dispatch({ type: 'disconnected', reason, at: now() });
    attempt += 1;
    await sleep(reconnectDelay(attempt), signal);
  }
}

async function loadHistory(
  client: ControlTransport,
  dispatch: (action: TuiAction) => void,
  limit: number,
): Promise<void> {
  try {
    const { events } = await callControl(client, controlApi.events(limit));
    dispatch({ type: 'historyReceived', events });
  } catch {
    // The live stream still works; the pane just starts empty.
  }
}

function abortableSleep(ms: number, signal: AbortSignal, wake?: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      wake?.delete(done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
    wake?.add(done);
  });
}

/** A retry sleep that `wake()` cuts short, so the feed reconnects as soon as the user started the daemon. */
export function wakeableSleep(): { sleep: NonNullable<FeedOptions['sleep']>; wake(): void } {
  const sleepers = new Set<() => void>();
  return {
    sleep: (ms, signal) => abortableSleep(ms, signal, sleepers),
    wake: () => {
      for (const done of [...sleepers]) done();
    },
  };
}
