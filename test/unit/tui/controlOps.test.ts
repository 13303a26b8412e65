import { describe, expect, it, vi } from 'vitest';
import {
  followUp,
  nextFastOverride,
  requestFor,
  resultText,
  textFor,
  type ControlOp,
} from '../../../src/tui/actions/controlOps.js';
import { createOpRunner, NOTICE_TTL_MS } from '../../../src/tui/actions/createOpRunner.js';
import type { TuiAction } from '../../../src/tui/state/tuiReducer.js';
import { CcbridgeError } from '../../../src/shared/errors.js';
import { work as workView } from '../../helpers/tuiFixtures.js';

const work = { id: 'wrk1', name: 'work' };

describe('requestFor: one control-API request per op', () => {
  it.each<[ControlOp, string, string, unknown]>([
    [{ op: 'activate', account: work }, 'POST', '/api/accounts/wrk1/activate', undefined],
    [{ op: 'makeDefault', account: work }, 'POST', '/api/accounts/wrk1/default', undefined],
    [{ op: 'connect', account: work, kind: 'device' }, 'POST', '/api/accounts/wrk1/connect', { kind: 'device' }],
    [{ op: 'cancelLogin', account: work, sessionId: 'a/b' }, 'DELETE', '/api/login-sessions/a%2Fb', undefined],
    [{ op: 'add', name: 'team' }, 'POST', '/api/accounts', { name: 'team' }],
    [{ op: 'rename', account: work, name: 'job' }, 'PATCH', '/api/accounts/wrk1', { name: 'job' }],
    [{ op: 'setEnabled', account: work, enabled: false }, 'PATCH', '/api/accounts/wrk1', { enabled: false }],
    [{ op: 'setModel', account: work, model: null }, 'PATCH', '/api/accounts/wrk1', { model: null }],
    [{ op: 'setFast', account: work, mode: 'on' }, 'PATCH', '/api/accounts/wrk1', { fastMode: 'on' }],
    [{ op: 'setGlobalFast', on: false }, 'PATCH', '/api/settings', { fastMode: false }],
    [{ op: 'refreshLimits', account: work }, 'POST', '/api/accounts/wrk1/limits/refresh', undefined],
    [{ op: 'applyClaude' }, 'POST', '/api/integration/apply', undefined],
    [{ op: 'remove', account: work }, 'DELETE', '/api/accounts/wrk1', undefined],
    [{ op: 'listModels', account: work }, 'GET', '/api/accounts/wrk1/models', undefined],
  ])('%o → %s %s', (op, method, path, body) => {
    const { response: _schema, ...sent } = requestFor(op);
    expect(sent).toEqual({ method, path, ...(body === undefined ? {} : { body }) });
  });

  it('addresses accounts by id, so a rename in flight cannot hit another account', () => {
    expect(requestFor({ op: 'activate', account: { id: 'x1y2', name: 'renamed' } }).path).toBe(
      '/api/accounts/x1y2/activate',
    );
  });
});

describe('textFor', () => {
  it('says what happened in words', () => {
    expect(textFor({ op: 'activate', account: work }).done).toBe('now routing to work');
    expect(textFor({ op: 'setEnabled', account: work, enabled: false })).toEqual({
      pending: 'disabling work…',
      done: 'disabled work',
      failed: 'could not disable work',
    });
    expect(textFor({ op: 'setEnabled', account: work, enabled: true }).pending).toBe('enabling work…');
    expect(textFor({ op: 'setFast', account: work, mode: null }).done).toBe('work now inherits the global fast mode');
    expect(textFor({ op: 'setModel', account: work, model: 'gpt-5.4' }).done).toBe('work now uses gpt-5.4');
  });
});

describe('resultText', () => {
  it('names the settings file apply-claude wrote, or says it was already current', () => {
    const path = '/home/me/.claude/settings.json';
    expect(resultText({ op: 'applyClaude' }, { path, changed: true, written: true })).toBe(
      `Claude Code settings written to ${path}`,
    );
    expect(resultText({ op: 'applyClaude' }, { path, changed: false })).toBe(
      `Claude Code settings already up to date in ${path}`,
    );
    expect(resultText({ op: 'applyClaude' }, {})).toBe('Claude Code settings applied');
    expect(resultText({ op: 'activate', account: work }, {})).toBe('now routing to work');
  });
});

describe('followUp', () => {
  it('selects a newly added account', () => {
    expect(followUp({ op: 'add', name: 'team' }, { account: { ...workView, id: 'tm42', name: 'team' } })).toEqual([
      { type: 'selectAccount', accountId: 'tm42' },
    ]);
    expect(followUp({ op: 'add', name: 'team' }, {})).toEqual([]);
  });

  it('opens the login panel after connect, with the session when the answer carries one', () => {
    const session = {
      id: 'ls1',
      accountId: 'wrk1',
      kind: 'browser',
      state: 'starting',
      authUrl: null,
      verificationUrl: null,
      userCode: null,
      startedAt: '2026-03-01T12:00:00.000Z',
      finishedAt: null,
      error: null,
    };
    expect(followUp({ op: 'connect', account: work, kind: 'browser' }, { session })).toEqual([
      { type: 'setMode', mode: { kind: 'login', accountId: 'wrk1', session, autoOpen: true }, ifCurrent: 'normal' },
    ]);
    expect(followUp({ op: 'connect', account: work, kind: 'device' }, { unexpected: true })).toEqual([
      {
        type: 'setMode',
        mode: { kind: 'login', accountId: 'wrk1', session: null, autoOpen: false },
        ifCurrent: 'normal',
      },
    ]);
  });

  it('turns a model list into choices with "default" first', () => {
    const res = { models: [{ id: 'gpt-5.5', displayName: 'GPT-5.5', hidden: false }, { id: 'gpt-5.4' }] };
    expect(followUp({ op: 'listModels', account: work }, res)).toEqual([
      {
        type: 'modelsLoaded',
        accountId: 'wrk1',
        choices: [
          { id: null, label: '(default model)' },
          { id: 'gpt-5.5', label: 'gpt-5.5  GPT-5.5' },
          { id: 'gpt-5.4', label: 'gpt-5.4' },
        ],
      },
    ]);
    expect(() => followUp({ op: 'listModels', account: work }, { data: [] })).toThrow(/unexpected shape/);
  });
});

describe('nextFastOverride', () => {
  it('cycles inherit → on → off → inherit', () => {
    expect(nextFastOverride(null)).toBe('on');
    expect(nextFastOverride('on')).toBe('off');
    expect(nextFastOverride('off')).toBeNull();
  });
});

describe('createOpRunner', () => {
  function setup(respond: (method: string, path: string) => unknown) {
    const calls: Array<[string, string, unknown]> = [];
    const dispatched: TuiAction[] = [];
    const client = {
      async request<T>(method: string, path: string, body?: unknown): Promise<T> {
        calls.push([method, path, body]);
        return respond(method, path) as T;
      },
    };
    return { calls, dispatched, run: createOpRunner(client, (a) => dispatched.push(a)) };
  }

  it('shows progress, then the result, then runs the follow-up', async () => {
    const { calls, dispatched, run } = setup(() => ({ account: { ...workView, id: 'tm42', name: 'team' } }));
    await run({ op: 'add', name: 'team' });
    expect(calls).toEqual([['POST', '/api/accounts', { name: 'team' }]]);
    expect(dispatched).toEqual([
      { type: 'notify', notice: { id: 1, tone: 'pending', text: 'adding team…' } },
      { type: 'notify', notice: { id: 1, tone: 'ok', text: 'added team; press c to connect it' } },
      { type: 'selectAccount', accountId: 'tm42' },
    ]);
  });

  it("shows the daemon's error inline and closes what the op opened", async () => {
    const { dispatched, run } = setup(() => {
      throw new CcbridgeError('not_found', 'no route GET /api/accounts/wrk1/models', { status: 404 });
    });
    await run({ op: 'listModels', account: work });
    expect(dispatched.slice(1)).toEqual([
      {
        type: 'notify',
        notice: { id: 1, tone: 'error', text: 'no model list for work: no route GET /api/accounts/wrk1/models' },
      },
      { type: 'setMode', mode: { kind: 'normal' }, ifCurrent: 'models' },
    ]);
  });

  it('a success expires from the result line after a while; an error stays', async () => {
    vi.useFakeTimers();
    try {
      const { dispatched, run } = setup(() => ({ account: { ...workView, id: 'tm42', name: 'team' } }));
      await run({ op: 'add', name: 'team' });
      expect(dispatched.some((a) => a.type === 'expireNotice')).toBe(false);
      vi.advanceTimersByTime(NOTICE_TTL_MS);
      expect(dispatched.at(-1)).toEqual({ type: 'expireNotice', id: 1 });
      const failing = setup(() => {
        throw new Error('nope');
      });
      await failing.run({ op: 'add', name: 'team' });
      vi.advanceTimersByTime(NOTICE_TTL_MS * 2);
      expect(failing.dispatched.some((a) => a.type === 'expireNotice')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('numbers notices so overlapping ops can be told apart', async () => {
    const { dispatched, run } = setup(() => ({}));
    await Promise.all([run({ op: 'applyClaude' }), run({ op: 'setGlobalFast', on: true })]);
    const ids = dispatched.flatMap((a) => (a.type === 'notify' ? [a.notice.id] : []));
    expect(new Set(ids)).toEqual(new Set([1, 2]));
  });
});
