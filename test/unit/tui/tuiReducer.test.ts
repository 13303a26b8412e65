import { describe, expect, it } from 'vitest';
import { tuiReducer, type TuiAction } from '../../../src/tui/state/tuiReducer.js';
import { EVENT_BUFFER, initialTuiState, type TuiState } from '../../../src/tui/state/tuiState.js';
import { createTuiStore } from '../../../src/tui/state/tuiStore.js';
import { event, makeView, personal, spare, work } from '../../helpers/tuiFixtures.js';

const reduce = (state: TuiState, ...actions: TuiAction[]) => actions.reduce(tuiReducer, state);
const live = reduce(initialTuiState, { type: 'stateReceived', view: makeView() });

describe('tuiReducer: connection and state', () => {
  it('goes live on the first state and selects the account requests go to', () => {
    expect(initialTuiState.connection.status).toBe('connecting');
    const s = reduce(initialTuiState, { type: 'stateReceived', view: makeView({ routeAccountId: 'prs2' }) });
    expect(s.connection).toEqual({ status: 'live' });
    expect(s.selectedId).toBe('prs2');
  });

  it('keeps when an outage began with the latest reason, and goes live again on the next state', () => {
    const down = reduce(
      live,
      { type: 'disconnected', reason: 'stream closed', at: 1000 },
      { type: 'disconnected', reason: 'not running', at: 3000 },
    );
    expect(down.connection).toEqual({ status: 'reconnecting', reason: 'not running', since: 1000 });
    // The last state stays on screen, all but its live traffic.
    expect(down.view).toEqual({ ...live.view, traffic: undefined });
  });

  it("forgets the live traffic when the daemon goes away, keeping today's totals", () => {
    const busy = reduce(initialTuiState, {
      type: 'stateReceived',
      view: makeView({
        traffic: { inflight: [], inflightCount: 2, lastMinute: { requests: 1, inputTokens: 1, outputTokens: 1 } },
      }),
    });
    const down = reduce(busy, { type: 'disconnected', reason: 'gone', at: 1 });
    expect(down.view?.traffic).toBeUndefined();
    expect(down.view?.stats).toEqual(busy.view?.stats);
  });

  it('drops the result line when the daemon goes away, but not ones that came during the outage', () => {
    const notice = { id: 1, tone: 'ok' as const, text: 'now routing to work' };
    const down = reduce(live, { type: 'notify', notice }, { type: 'disconnected', reason: 'gone', at: 1 });
    expect(down.notice).toBeNull();
    const again = reduce(down, { type: 'notify', notice }, { type: 'disconnected', reason: 'gone', at: 2 });
    expect(again.notice).toEqual(notice);
    expect(reduce(down, { type: 'stateReceived', view: makeView() }).connection.status).toBe('live');
  });

  it('keeps the selection on the same account when the list is reordered', () => {
    const s = reduce(
      live,
      { type: 'selectAccount', accountId: 'prs2' },
      { type: 'stateReceived', view: makeView({ accounts: [spare, personal, work] }) },
    );
    expect(s.selectedId).toBe('prs2');
  });

  it('moves to the account at the same position when the selected one is deleted', () => {
    const s = reduce(
      live,
      { type: 'selectAccount', accountId: 'prs2' },
      { type: 'stateReceived', view: makeView({ accounts: [work, spare] }) },
    );
    expect(s.selectedId).toBe('spr3');
    const last = reduce(
      live,
      { type: 'selectAccount', accountId: 'spr3' },
      { type: 'stateReceived', view: makeView({ accounts: [work, personal] }) },
    );
    expect(last.selectedId).toBe('prs2');
  });

  it('closes a mode whose account disappeared', () => {
    const s = reduce(
      live,
      { type: 'setMode', mode: { kind: 'confirmDelete', accountId: 'prs2' } },
      { type: 'stateReceived', view: makeView({ accounts: [work] }) },
    );
    expect(s.mode).toEqual({ kind: 'normal' });
  });
});

describe('tuiReducer: navigation', () => {
  it('moves the selection and clamps at both ends', () => {
    expect(reduce(live, { type: 'moveSelection', delta: 1 }).selectedId).toBe('prs2');
    expect(reduce(live, { type: 'moveSelection', delta: 5 }).selectedId).toBe('spr3');
    expect(reduce(live, { type: 'moveSelection', delta: -1 }).selectedId).toBe('wrk1');
  });

  it('ignores selecting an unknown account', () => {
    expect(reduce(live, { type: 'selectAccount', accountId: 'nope' })).toBe(live);
  });

  it('cycles pane focus both ways', () => {
    expect(reduce(live, { type: 'cycleFocus', step: 1 }).pane).toBe('limits');
    expect(reduce(live, { type: 'cycleFocus', step: -1 }).pane).toBe('events');
    expect(
      reduce(live, { type: 'cycleFocus', step: 1 }, { type: 'cycleFocus', step: 1 }, { type: 'cycleFocus', step: 1 })
        .pane,
    ).toBe('accounts');
  });

  it('cycles the event filter through every category and back to all, resetting the scroll', () => {
    let s: TuiState = { ...live, eventScroll: 3 };
    const seen: string[] = [];
    for (let i = 0; i < 7; i++) {
      s = tuiReducer(s, { type: 'cycleEventFilter', step: 1 });
      seen.push(s.eventFilter);
    }
    expect(seen).toEqual(['system', 'account', 'oauth', 'proxy', 'limits', 'integration', 'all']);
    expect(s.eventScroll).toBe(0);
    expect(reduce(live, { type: 'cycleEventFilter', step: -1 }).eventFilter).toBe('integration');
  });
});

describe('tuiReducer: events', () => {
  const ten = Array.from({ length: 10 }, (_, i) => event(i + 1, { category: i % 2 ? 'proxy' : 'account' }));

  it('keeps events unique and ordered by id', () => {
    const s = reduce(
      live,
      { type: 'eventsReceived', events: [ten[2]!, ten[0]!] },
      { type: 'eventsReceived', events: [ten[1]!, ten[2]!] },
    );
    expect(s.events.map((e) => e.id)).toEqual([1, 2, 3]);
  });

  it('bounds the buffer', () => {
    const many = Array.from({ length: EVENT_BUFFER + 20 }, (_, i) => event(i + 1));
    const s = reduce(live, { type: 'eventsReceived', events: many });
    expect(s.events).toHaveLength(EVENT_BUFFER);
    expect(s.events[0]!.id).toBe(21);
  });

  it('scrolls within the filtered list', () => {
    const s = reduce(live, { type: 'eventsReceived', events: ten });
    expect(reduce(s, { type: 'scrollEvents', delta: 3, visible: 4 }).eventScroll).toBe(3);
    expect(reduce(s, { type: 'scrollEvents', delta: 100, visible: 4 }).eventScroll).toBe(6);
    expect(reduce(s, { type: 'scrollEvents', delta: -100, visible: 4 }).eventScroll).toBe(0);
    const proxyOnly = reduce(
      s,
      { type: 'cycleEventFilter', step: 1 },
      { type: 'cycleEventFilter', step: 1 },
      { type: 'cycleEventFilter', step: 1 },
      { type: 'cycleEventFilter', step: 1 },
    );
    expect(proxyOnly.eventFilter).toBe('proxy');
    expect(reduce(proxyOnly, { type: 'scrollEvents', delta: 100, visible: 4 }).eventScroll).toBe(1);
  });

  it('holds a scrolled-up page in place as new matching events arrive, and follows when at the bottom', () => {
    const s = reduce(
      live,
      { type: 'eventsReceived', events: ten.slice(0, 8) },
      { type: 'scrollEvents', delta: 2, visible: 4 },
    );
    expect(reduce(s, { type: 'eventsReceived', events: ten.slice(8) }).eventScroll).toBe(4);
    const following = reduce(live, { type: 'eventsReceived', events: ten.slice(0, 8) });
    expect(reduce(following, { type: 'eventsReceived', events: ten.slice(8) }).eventScroll).toBe(0);
  });

  it('a filter query narrows what scrolls and what holds a scrolled page, and a new query follows again', () => {
    const s = reduce(
      live,
      { type: 'eventsReceived', events: ten },
      { type: 'setMode', mode: { kind: 'search' } },
      ...[...'number 1'].map((text): TuiAction => ({ type: 'editPrompt', edit: { kind: 'insert', text } })),
    );
    expect(s.eventQuery).toBe('number 1');
    // "number 1" and "number 10" match: one line to scroll with one visible.
    expect(reduce(s, { type: 'scrollEvents', delta: 100, visible: 1 }).eventScroll).toBe(1);
    const scrolled = reduce(s, { type: 'scrollEvents', delta: 1, visible: 1 });
    const more = reduce(scrolled, { type: 'eventsReceived', events: [event(11), event(12)] });
    expect(more.eventScroll).toBe(3); // event number 11 and 12 match too
    const edited = reduce(more, { type: 'editPrompt', edit: { kind: 'backspace' } });
    expect(edited).toMatchObject({ eventQuery: 'number ', eventScroll: 0 });
    expect(reduce(edited, { type: 'clearEventQuery' })).toMatchObject({ eventQuery: '', eventScroll: 0 });
  });

  it('replaces the buffer with history after a reconnect but keeps live events that raced ahead', () => {
    const before = reduce(live, { type: 'eventsReceived', events: [event(1), event(2), event(50)] });
    const s = reduce(before, { type: 'historyReceived', events: [event(40), event(41)] });
    expect(s.events.map((e) => e.id)).toEqual([40, 41, 50]);
  });
});

describe('tuiReducer: modes and prompts', () => {
  const adding = reduce(live, { type: 'setMode', mode: { kind: 'add', value: '', error: null } });

  it('edits the prompt, dropping control characters from pasted text', () => {
    const s = reduce(
      adding,
      { type: 'editPrompt', edit: { kind: 'insert', text: 'te' } },
      { type: 'editPrompt', edit: { kind: 'insert', text: 'am\n\u001b' } },
    );
    expect(s.mode).toEqual({ kind: 'add', value: 'team', error: null });
    expect(reduce(s, { type: 'editPrompt', edit: { kind: 'backspace' } }).mode).toMatchObject({ value: 'tea' });
  });

  it('shows a prompt error until the next edit', () => {
    const s = reduce(adding, { type: 'promptError', error: 'name must not be empty' });
    expect(s.mode).toMatchObject({ error: 'name must not be empty' });
    expect(reduce(s, { type: 'editPrompt', edit: { kind: 'insert', text: 'x' } }).mode).toMatchObject({
      error: null,
      value: 'x',
    });
  });

  it('ignores prompt edits outside a prompt', () => {
    expect(reduce(live, { type: 'editPrompt', edit: { kind: 'insert', text: 'x' } })).toBe(live);
  });

  it('only switches mode from the expected one when asked to', () => {
    const helping = reduce(live, { type: 'setMode', mode: { kind: 'help' } });
    const login = { kind: 'login', accountId: 'wrk1', session: null, autoOpen: true } as const;
    expect(reduce(helping, { type: 'setMode', mode: login, ifCurrent: 'normal' }).mode.kind).toBe('help');
    expect(reduce(live, { type: 'setMode', mode: login, ifCurrent: 'normal' }).mode.kind).toBe('login');
  });

  it('preselects the current model and clamps the picker', () => {
    const picking = reduce(live, {
      type: 'setMode',
      mode: { kind: 'models', accountId: 'wrk1', choices: null, index: 0 },
    });
    const choices = [
      { id: null, label: '(default model)' },
      { id: 'gpt-5.4', label: 'gpt-5.4' },
      { id: 'gpt-5.5', label: 'gpt-5.5' },
    ];
    const loaded = reduce(picking, { type: 'modelsLoaded', accountId: 'wrk1', choices });
    expect(loaded.mode).toMatchObject({ index: 2 });
    expect(reduce(loaded, { type: 'moveModelChoice', delta: 5 }).mode).toMatchObject({ index: 2 });
    expect(reduce(loaded, { type: 'moveModelChoice', delta: -1 }).mode).toMatchObject({ index: 1 });
    expect(reduce(picking, { type: 'modelsLoaded', accountId: 'prs2', choices })).toBe(picking);
  });

  it('sets and clears the notice', () => {
    const s = reduce(live, { type: 'notify', notice: { id: 1, tone: 'ok', text: 'done' } });
    expect(s.notice).toEqual({ id: 1, tone: 'ok', text: 'done' });
    expect(reduce(s, { type: 'clearNotice' }).notice).toBeNull();
    // Expiry clears only the notice it was set for, not a newer one.
    expect(reduce(s, { type: 'expireNotice', id: 1 }).notice).toBeNull();
    expect(reduce(s, { type: 'expireNotice', id: 0 }).notice).toEqual({ id: 1, tone: 'ok', text: 'done' });
  });
});

describe('createTuiStore', () => {
  it('applies actions synchronously and notifies only on change', () => {
    const store = createTuiStore();
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.dispatch({ type: 'stateReceived', view: makeView() });
    expect(store.getState().selectedId).toBe('wrk1');
    store.dispatch({ type: 'clearNotice' });
    expect(calls).toBe(1);
    off();
    store.dispatch({ type: 'moveSelection', delta: 1 });
    expect(calls).toBe(1);
    expect(store.getState().selectedId).toBe('prs2');
  });
});
