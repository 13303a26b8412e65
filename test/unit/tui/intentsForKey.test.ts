import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { intentsForKey, type Intent } from '../../../src/tui/input/intentsForKey.js';
import { tuiReducer, type TuiAction } from '../../../src/tui/state/tuiReducer.js';
import { initialTuiState, type Mode, type TuiState } from '../../../src/tui/state/tuiState.js';
import { makeView, NOW } from '../../helpers/tuiFixtures.js';

function keyOf(overrides: Partial<Key> = {}): Key {
  return {
    upArrow: false,
    downArrow: false,
    leftArrow: false,
    rightArrow: false,
    pageDown: false,
    pageUp: false,
    home: false,
    end: false,
    return: false,
    escape: false,
    ctrl: false,
    shift: false,
    tab: false,
    backspace: false,
    delete: false,
    meta: false,
    super: false,
    hyper: false,
    capsLock: false,
    numLock: false,
    ...overrides,
  };
}

const live = tuiReducer(initialTuiState, { type: 'stateReceived', view: makeView() });
const on = (state: TuiState, mode: Mode) => ({ ...state, mode });
const press = (state: TuiState, input: string, key: Partial<Key> = {}): Intent[] =>
  intentsForKey(state, input, keyOf(key), { eventLines: 8 });
const ops = (intents: Intent[]) => intents.flatMap((i) => (i.type === 'run' ? [i.op] : []));
const actions = (intents: Intent[]) => intents.flatMap((i): TuiAction[] => (i.type === 'dispatch' ? [i.action] : []));
const work = { id: 'wrk1', name: 'work' };
const personal = { id: 'prs2', name: 'personal' };

describe('normal mode: account actions go to the selected account', () => {
  const onPersonal = tuiReducer(live, { type: 'selectAccount', accountId: 'prs2' });

  it.each([
    ['u', {}, { op: 'activate', account: personal }],
    ['', { return: true }, { op: 'activate', account: personal }],
    ['D', { shift: true }, { op: 'makeDefault', account: personal }],
    ['e', {}, { op: 'setEnabled', account: personal, enabled: false }],
    ['l', {}, { op: 'refreshLimits', account: personal }],
    // personal overrides fast mode "on": the next step is "off", then inherit.
    ['f', {}, { op: 'setFast', account: personal, mode: 'off' }],
    ['F', { shift: true }, { op: 'setGlobalFast', on: true }],
    ['A', { shift: true }, { op: 'applyClaude' }],
  ] as const)('%s %o → %o', (input, key, op) => {
    expect(ops(press(onPersonal, input, key))).toEqual([op]);
  });

  it('m opens the picker in its loading state and asks for the model list', () => {
    const intents = press(onPersonal, 'm');
    expect(actions(intents)).toEqual([
      { type: 'setMode', mode: { kind: 'models', accountId: 'prs2', choices: null, index: 0 } },
    ]);
    expect(ops(intents)).toEqual([{ op: 'listModels', account: personal }]);
  });

  it('a, r, x and c open their prompt, confirmation or chooser without calling the daemon', () => {
    expect(press(live, 'a')).toEqual([
      { type: 'dispatch', action: { type: 'setMode', mode: { kind: 'add', value: '', error: null } } },
    ]);
    expect(actions(press(live, 'r'))).toEqual([
      { type: 'setMode', mode: { kind: 'rename', accountId: 'wrk1', value: 'work', error: null } },
    ]);
    expect(actions(press(live, 'x'))).toEqual([
      { type: 'setMode', mode: { kind: 'confirmDelete', accountId: 'wrk1' } },
    ]);
    expect(actions(press(live, 'c'))).toEqual([{ type: 'setMode', mode: { kind: 'connect', accountId: 'wrk1' } }]);
  });

  it('c shows a login that is already under way instead of starting another', () => {
    const session = {
      id: 'ls1',
      accountId: 'wrk1',
      kind: 'browser' as const,
      state: 'waiting' as const,
      authUrl: 'https://auth.openai.com/oauth/authorize?x=1',
      verificationUrl: null,
      userCode: null,
      startedAt: new Date(NOW).toISOString(),
      finishedAt: null,
      error: null,
    };
    const s = tuiReducer(live, { type: 'stateReceived', view: makeView({ loginSessions: [session] }) });
    expect(actions(press(s, 'c'))).toEqual([
      { type: 'setMode', mode: { kind: 'login', accountId: 'wrk1', session, autoOpen: false } },
    ]);
  });

  it('account keys without any account explain what to do', () => {
    const empty = tuiReducer(initialTuiState, { type: 'stateReceived', view: makeView({ accounts: [] }) });
    expect(actions(press(empty, 'u'))).toEqual([
      { type: 'notify', notice: { id: -1, tone: 'error', text: 'no account selected; press a to add one' } },
    ]);
  });

  it('global keys', () => {
    expect(press(live, 'q')).toEqual([{ type: 'quit' }]);
    expect(actions(press(live, '?'))).toEqual([{ type: 'setMode', mode: { kind: 'help' } }]);
    expect(actions(press(live, '', { tab: true }))).toEqual([{ type: 'cycleFocus', step: 1 }]);
    expect(actions(press(live, '', { tab: true, shift: true }))).toEqual([{ type: 'cycleFocus', step: -1 }]);
    expect(actions(press(live, '', { escape: true }))).toEqual([{ type: 'clearNotice' }]);
    // Ink flags escape as meta too.
    expect(actions(press(live, '', { escape: true, meta: true }))).toEqual([{ type: 'clearNotice' }]);
    expect(press(live, 'c', { ctrl: true })).toEqual([]);
  });

  it('s starts the daemon only while it is unreachable', () => {
    expect(press(live, 's')).toEqual([]);
    const down = tuiReducer(live, { type: 'disconnected', reason: 'gone', at: NOW });
    expect(press(down, 's')).toEqual([{ type: 'startDaemon' }]);
  });
});

describe('normal mode: navigation depends on the focused pane', () => {
  it('arrows and j/k move the account selection in the accounts and limits panes', () => {
    for (const pane of ['accounts', 'limits'] as const) {
      const s = { ...live, pane };
      expect(actions(press(s, '', { downArrow: true }))).toEqual([{ type: 'moveSelection', delta: 1 }]);
      expect(actions(press(s, 'k'))).toEqual([{ type: 'moveSelection', delta: -1 }]);
    }
  });

  it('in the events pane they scroll (up = older), page by the visible lines, and ←/→ filter', () => {
    const s = { ...live, pane: 'events' as const };
    expect(actions(press(s, '', { upArrow: true }))).toEqual([{ type: 'scrollEvents', delta: 1, visible: 8 }]);
    expect(actions(press(s, 'j'))).toEqual([{ type: 'scrollEvents', delta: -1, visible: 8 }]);
    expect(actions(press(s, '', { pageUp: true }))).toEqual([{ type: 'scrollEvents', delta: 7, visible: 8 }]);
    expect(actions(press(s, 'G'))).toEqual([{ type: 'scrollEvents', delta: -Number.MAX_SAFE_INTEGER, visible: 8 }]);
    expect(actions(press(s, '', { rightArrow: true }))).toEqual([{ type: 'cycleEventFilter', step: 1 }]);
    expect(actions(press(s, '', { leftArrow: true }))).toEqual([{ type: 'cycleEventFilter', step: -1 }]);
  });
});

describe('the events filter', () => {
  const searching = on(live, { kind: 'search' });

  it('/ focuses the events pane and opens the filter prompt, from any pane', () => {
    expect(actions(press(live, '/'))).toEqual([
      { type: 'focusPane', pane: 'events' },
      { type: 'setMode', mode: { kind: 'search' } },
    ]);
  });

  it('typing edits the filter, enter keeps it, esc clears it', () => {
    expect(actions(press(searching, 'w'))).toEqual([{ type: 'editPrompt', edit: { kind: 'insert', text: 'w' } }]);
    // Command letters are text here.
    expect(actions(press(searching, 'q'))).toEqual([{ type: 'editPrompt', edit: { kind: 'insert', text: 'q' } }]);
    expect(actions(press(searching, '', { backspace: true }))).toEqual([
      { type: 'editPrompt', edit: { kind: 'backspace' } },
    ]);
    expect(actions(press(searching, '', { return: true }))).toEqual([{ type: 'setMode', mode: { kind: 'normal' } }]);
    expect(actions(press(searching, '', { escape: true }))).toEqual([
      { type: 'clearEventQuery' },
      { type: 'setMode', mode: { kind: 'normal' } },
    ]);
    expect(press(searching, '', { upArrow: true })).toEqual([]);
  });
});

describe('prompts', () => {
  const adding = on(live, { kind: 'add', value: 'team', error: null });

  it('typing edits, backspace deletes, esc cancels', () => {
    expect(actions(press(adding, 'x'))).toEqual([{ type: 'editPrompt', edit: { kind: 'insert', text: 'x' } }]);
    expect(actions(press(adding, '', { backspace: true }))).toEqual([
      { type: 'editPrompt', edit: { kind: 'backspace' } },
    ]);
    expect(actions(press(adding, '', { delete: true }))).toEqual([{ type: 'editPrompt', edit: { kind: 'backspace' } }]);
    expect(press(adding, '', { escape: true })).toEqual([
      { type: 'dispatch', action: { type: 'setMode', mode: { kind: 'normal' } } },
    ]);
    // Letters that are commands elsewhere are just text here.
    expect(ops(press(adding, 'q'))).toEqual([]);
  });

  it('enter adds a valid name', () => {
    expect(ops(press(adding, '', { return: true }))).toEqual([{ op: 'add', name: 'team' }]);
  });

  it('enter on an invalid name explains why and keeps the prompt open', () => {
    const intents = press(on(live, { kind: 'add', value: '-bad name', error: null }), '', { return: true });
    expect(ops(intents)).toEqual([]);
    expect(actions(intents)).toEqual([{ type: 'promptError', error: expect.stringContaining('letters, digits') }]);
  });

  it('rename sends the new name, and an unchanged name just closes', () => {
    expect(
      ops(press(on(live, { kind: 'rename', accountId: 'wrk1', value: 'job', error: null }), '', { return: true })),
    ).toEqual([{ op: 'rename', account: work, name: 'job' }]);
    expect(
      press(on(live, { kind: 'rename', accountId: 'wrk1', value: 'work', error: null }), '', { return: true }),
    ).toEqual([{ type: 'dispatch', action: { type: 'setMode', mode: { kind: 'normal' } } }]);
  });
});

describe('confirmations and panels', () => {
  it('delete happens only on y', () => {
    const confirming = on(live, { kind: 'confirmDelete', accountId: 'wrk1' });
    expect(ops(press(confirming, 'y'))).toEqual([{ op: 'remove', account: work }]);
    for (const input of ['n', 'x', '']) {
      const intents = press(confirming, input, input ? {} : { escape: true });
      expect(ops(intents)).toEqual([]);
      expect(actions(intents)[0]).toEqual({ type: 'setMode', mode: { kind: 'normal' } });
    }
  });

  it('the connect chooser starts a browser or device login', () => {
    const choosing = on(live, { kind: 'connect', accountId: 'wrk1' });
    expect(ops(press(choosing, 'b'))).toEqual([{ op: 'connect', account: work, kind: 'browser' }]);
    expect(ops(press(choosing, 'd'))).toEqual([{ op: 'connect', account: work, kind: 'device' }]);
    expect(ops(press(choosing, '', { escape: true }))).toEqual([]);
  });

  it('x in the login panel cancels a running login, esc just closes it', () => {
    const session = {
      id: 'ls 1',
      accountId: 'wrk1',
      kind: 'device' as const,
      state: 'waiting' as const,
      authUrl: null,
      verificationUrl: 'https://auth.openai.com/codex/device',
      userCode: 'ABCD-1234',
      startedAt: new Date(NOW).toISOString(),
      finishedAt: null,
      error: null,
    };
    const watching = on(live, { kind: 'login', accountId: 'wrk1', session, autoOpen: false });
    expect(ops(press(watching, 'x'))).toEqual([{ op: 'cancelLogin', account: work, sessionId: 'ls 1' }]);
    expect(
      ops(
        press(
          on(live, { kind: 'login', accountId: 'wrk1', session: { ...session, state: 'succeeded' }, autoOpen: false }),
          'x',
        ),
      ),
    ).toEqual([]);
    expect(press(watching, 'o')).toEqual([{ type: 'openUrl', url: 'https://auth.openai.com/codex/device' }]);
    expect(actions(press(watching, '', { escape: true }))).toEqual([{ type: 'setMode', mode: { kind: 'normal' } }]);
  });

  it('the model picker moves and sets the chosen model (null = default)', () => {
    const choices = [
      { id: null, label: '(default model)' },
      { id: 'gpt-5.4', label: 'gpt-5.4' },
    ];
    const picking = on(live, { kind: 'models', accountId: 'wrk1', choices, index: 0 });
    expect(actions(press(picking, '', { downArrow: true }))).toEqual([{ type: 'moveModelChoice', delta: 1 }]);
    expect(ops(press(picking, '', { return: true }))).toEqual([{ op: 'setModel', account: work, model: null }]);
    expect(ops(press({ ...picking, mode: { ...picking.mode, index: 1 } as Mode }, '', { return: true }))).toEqual([
      { op: 'setModel', account: work, model: 'gpt-5.4' },
    ]);
    expect(
      ops(press(on(live, { kind: 'models', accountId: 'wrk1', choices: null, index: 0 }), '', { return: true })),
    ).toEqual([]);
  });

  it('any key closes the help', () => {
    expect(press(on(live, { kind: 'help' }), 'u')).toEqual([
      { type: 'dispatch', action: { type: 'setMode', mode: { kind: 'normal' } } },
    ]);
  });
});
