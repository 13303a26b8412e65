import { describe, expect, it } from 'vitest';
import { followDaemon, reconnectDelay, wakeableSleep, type FeedClient } from '../../../src/tui/followDaemon.js';
import type { TuiAction } from '../../../src/tui/state/tuiReducer.js';
import { DaemonDownError } from '../../../src/client/daemonClient.js';
import { event, makeView } from '../../helpers/tuiFixtures.js';

type Session = (emit: (event: string, data: unknown) => void) => Promise<void>;

/** A daemon whose stream plays one scripted session per connection attempt. */
function scriptedClient(sessions: Session[], history: unknown[] = []) {
  const requests: string[] = [];
  let attempt = 0;
  const client: FeedClient = {
    async request<T>(method: string, path: string): Promise<T> {
      requests.push(`${method} ${path}`);
      return { events: history } as T;
    },
    async stream(path, onEvent) {
      requests.push(`STREAM ${path}`);
      const session = sessions[attempt++];
      if (!session) throw new Error('no more sessions');
      await session(onEvent);
    },
  };
  return { client, requests };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('followDaemon', () => {
  it('streams state and events, loads history once per connection, reconnects after the daemon goes away', async () => {
    const ctrl = new AbortController();
    const actions: TuiAction[] = [];
    const sleeps: number[] = [];
    const view = makeView();
    const { client, requests } = scriptedClient(
      [
        async (emit) => {
          emit('state', view);
          emit('event', event(7));
          emit('ping', {});
          emit('event', { bogus: true });
          emit('state', view);
        },
        async () => {
          throw new DaemonDownError('/tmp/s.sock');
        },
        async (emit) => {
          emit('state', view);
          ctrl.abort();
        },
      ],
      [event(5), event(6), { not: 'an event' }],
    );
    await followDaemon(client, (a) => actions.push(a), ctrl.signal, {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      now: () => 1234,
    });
    await tick();
    expect(requests.filter((r) => r.startsWith('STREAM'))).toHaveLength(3);
    expect(requests.filter((r) => r === 'GET /api/events?limit=200')).toHaveLength(2);
    const types = actions.map((a) => a.type);
    expect(types.slice(0, 3)).toEqual(['stateReceived', 'eventsReceived', 'stateReceived']);
    expect(actions.filter((a) => a.type === 'disconnected')).toEqual([
      { type: 'disconnected', reason: 'the daemon closed the connection', at: 1234 },
      { type: 'disconnected', reason: expect.stringContaining('daemon is not running'), at: 1234 },
    ]);
    expect(actions.filter((a) => a.type === 'historyReceived')[0]).toEqual({
      type: 'historyReceived',
      events: [event(5), event(6)],
    });
    // The delay grows while the daemon stays away.
    expect(sleeps).toEqual([reconnectDelay(1), reconnectDelay(2)]);
  });

  it('reports a state it cannot parse instead of rendering it', async () => {
    const ctrl = new AbortController();
    const actions: TuiAction[] = [];
    const { client } = scriptedClient([
      async (emit) => {
        emit('state', { accounts: 'nope' });
        ctrl.abort();
      },
    ]);
    await followDaemon(client, (a) => actions.push(a), ctrl.signal, { sleep: async () => {} });
    expect(actions).toEqual([
      { type: 'notify', notice: { id: 0, tone: 'error', text: expect.stringContaining('ccbridge restart') } },
    ]);
  });
});

describe('reconnectDelay', () => {
  it('starts fast and caps at 2 s', () => {
    expect([1, 2, 3, 4, 5, 10].map(reconnectDelay)).toEqual([250, 500, 1000, 2000, 2000, 2000]);
  });
});

describe('wakeableSleep', () => {
  it('wake() ends a pending sleep early; abort ends it too', async () => {
    const { sleep, wake } = wakeableSleep();
    const ctrl = new AbortController();
    const started = Date.now();
    const pending = sleep(10_000, ctrl.signal);
    wake();
    await pending;
    const aborted = sleep(10_000, ctrl.signal);
    ctrl.abort();
    await aborted;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
