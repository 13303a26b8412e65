import { describe, expect, it } from 'vitest';
import { accountColumns, accountLines, visibleWindow } from '../../../src/tui/view/accountColumns.js';
import { eventsPage } from '../../../src/tui/view/eventsPage.js';
import { planLayout } from '../../../src/tui/view/layout.js';
import { limitsLines } from '../../../src/tui/view/limitsLines.js';
import { fitLine, lineText, oneLine, seg } from '../../../src/tui/view/line.js';
import { helpLines, loginLines, modelLines } from '../../../src/tui/view/panelsView.js';
import { footerLine, statusLine, trafficLine } from '../../../src/tui/view/statusView.js';
import { inflightLines } from '../../../src/tui/view/inflightLines.js';
import type { InflightRequest } from '../../../src/shared/schemas/api.js';
import {
  accountState,
  fastBadge,
  filterEvents,
  loginUrl,
  shortAndLongWindows,
} from '../../../src/tui/state/selectors.js';
import type { EventFilter } from '../../../src/tui/state/tuiState.js';
import { themeFor } from '../../../src/tui/theme.js';
import type { LoginSession } from '../../../src/shared/schemas/auth.js';
import { account, event, makeView, NOW, personal, spare, work } from '../../helpers/tuiFixtures.js';

const text = (lines: ReturnType<typeof limitsLines>) => lines.map(lineText);

describe('fitLine', () => {
  it('pads short lines and cuts long ones with an ellipsis, keeping styles', () => {
    expect(lineText(fitLine([seg('ab', 'ok')], 5))).toBe('ab   ');
    const cut = fitLine([seg('abc', 'ok'), seg('defg', 'error')], 5);
    expect(cut).toEqual([seg('abc', 'ok'), seg('d', 'error'), { text: '…' }]);
    expect(fitLine([seg('abc')], 0)).toEqual([]);
  });

  it('oneLine strips control characters that could move the cursor', () => {
    expect(oneLine('line\none\u001b[2Jx\t')).toBe('line one [2Jx');
  });
});

describe('accountColumns', () => {
  const keys = (w: number) => accountColumns(w).map((c) => c.key);
  const total = (w: number) => accountColumns(w).reduce((sum, c) => sum + c.width, 0) + accountColumns(w).length - 1;

  it('fits everything but the e-mail at 80 columns, and adds the e-mail when wider', () => {
    expect(keys(76)).toEqual(['mark', 'name', 'state', 'plan', 'model', 'fast', 'short', 'long']);
    expect(keys(116)).toEqual(['mark', 'name', 'email', 'state', 'plan', 'model', 'fast', 'short', 'long']);
  });

  it('drops plan, model, weekly bar and fast mode, in that order, when narrow', () => {
    expect(keys(60)).toEqual(['mark', 'name', 'state', 'fast', 'short', 'long']);
    expect(keys(44)).toEqual(['mark', 'name', 'state', 'fast', 'short']);
  });

  it('never exceeds the width it is given', () => {
    for (let w = 44; w <= 200; w++) expect(total(w)).toBeLessThanOrEqual(w);
  });
});

describe('account rows', () => {
  it('marks selection, active and default, and shows state, plan, model, fast and both bars', () => {
    const lines = accountLines(makeView(), 'prs2', 76, 10).map(lineText);
    expect(lines).toEqual([
      '    NAME         STATE         PLAN  MODEL        FAST 5H         WEEK      ',
      ' ★◆ work         connected     pro   gpt-5.5      off~ ██░░░  42% █░░░░  12%',
      '›   personal     exhausted     plus  default      on   █████ 100% ████░  71%',
      '    spare        disabled      -     default      off~ -          -         ',
    ]);
  });

  it('keeps the selection in view when there are more accounts than lines', () => {
    expect(visibleWindow(10, 0, 3)).toEqual({ start: 0, end: 3 });
    expect(visibleWindow(10, 5, 3)).toEqual({ start: 4, end: 7 });
    expect(visibleWindow(10, 9, 3)).toEqual({ start: 7, end: 10 });
    expect(visibleWindow(2, 1, 3)).toEqual({ start: 0, end: 2 });
  });

  it('says what to do with no accounts', () => {
    expect(accountLines(makeView({ accounts: [] }), null, 76, 5).map(lineText)[1]).toBe(
      'no accounts yet; press a to add one',
    );
  });

  it('state words, most urgent first', () => {
    const view = makeView();
    expect(accountState(work, view)).toEqual({ label: 'connected', tone: 'ok' });
    expect(accountState(personal, view)).toEqual({ label: 'exhausted', tone: 'error' });
    expect(accountState(spare, view)).toEqual({ label: 'disabled', tone: 'muted' });
    expect(
      accountState(account({ id: 'a1b2', name: 'x', health: { state: 'cooldown', until: null, reason: '502' } }), view)
        .label,
    ).toBe('cooldown');
    expect(accountState({ ...work, auth: { ...work.auth, state: 'needs-login' } }, view)).toEqual({
      label: 'needs-login',
      tone: 'error',
    });
    expect(accountState({ ...work, auth: { ...work.auth, state: 'expiring' } }, view)).toEqual({
      label: 'expiring',
      tone: 'warn',
    });
  });

  it('fast badge shows the effective value and marks an inherited one', () => {
    expect(fastBadge(work)).toBe('off~');
    expect(fastBadge(personal)).toBe('on');
  });

  it('finds the 5h and weekly windows whichever slot holds them', () => {
    const short = { usedPercent: 1, windowMinutes: 300, resetsAt: null };
    const long = { usedPercent: 2, windowMinutes: 10_080, resetsAt: null };
    const bucket = { limitId: 'codex', limitName: null, credits: null, reachedType: null };
    expect(shortAndLongWindows({ ...bucket, primary: long, secondary: short })).toEqual({ short, long });
    expect(shortAndLongWindows({ ...bucket, primary: long, secondary: null })).toEqual({ short: null, long });
    expect(shortAndLongWindows({ ...bucket, primary: short, secondary: null })).toEqual({ short, long: null });
    expect(shortAndLongWindows(null)).toEqual({ short: null, long: null });
  });
});

describe('limitsLines', () => {
  it('shows each window with bar, percentage and a countdown that ticks with now', () => {
    expect(text(limitsLines(work, NOW, 76))).toEqual([
      'work@example.com · pro · updated 1m 5s ago via headers',
      'codex      5h     █████████████░░░░░░░░░░░░░░░░░░░  42% resets in 2h 05m 09s',
      '           weekly ████░░░░░░░░░░░░░░░░░░░░░░░░░░░░  12% resets in 4d 03h',
      '           credits: 9.99',
    ]);
    expect(lineText(limitsLines(work, NOW + 10_000, 76)[1]!)).toContain('resets in 2h 04m 59s');
  });

  it('says "out of quota until …" for an exhausted account, as the CLI does', () => {
    const lines = text(limitsLines(personal, NOW, 100));
    expect(lines[0]).toBe(
      'out of quota until 12:13 (13m 0s) · me@example.org · plus · updated 20m 0s ago via app-server',
    );
  });

  it('shows a forecast under its window and banked reset credits', () => {
    const racing = {
      ...work,
      limits: {
        ...work.limits!,
        resetCredits: 1,
        forecasts: [{ limitId: 'codex', slot: 'primary' as const, exhaustsAt: NOW + 72 * 60_000 }],
      },
    };
    expect(text(limitsLines(racing, NOW, 76))).toEqual([
      'work@example.com · pro · updated 1m 5s ago via headers',
      'codex      5h     █████████████░░░░░░░░░░░░░░░░░░░  42% resets in 2h 05m 09s',
      '                  at this pace: out at 13:12 (in 1h 12m)',
      '           weekly ████░░░░░░░░░░░░░░░░░░░░░░░░░░░░  12% resets in 4d 03h',
      '           credits: 9.99',
      'banked     1 rate-limit reset credit',
    ]);
  });

  it('warns about stale data and reached limits', () => {
    expect(text(limitsLines(personal, NOW, 60))).toEqual([
      'out of quota until 12:13 (13m 0s) · me@example.org · plus · updated 20m 0s ago via app-server',
      'codex      5h     ███████████████████████ 100% in 13m 05s',
      '           weekly ████████████████░░░░░░░  71% in 2d 00h',
      '           ! limit reached (rate_limit_reached)',
      '! stale: no request for 20m',
    ]);
  });

  it('explains an empty pane', () => {
    expect(text(limitsLines(spare, NOW, 76))).toEqual(['not connected', 'connect the account (c) to see its limits']);
    expect(text(limitsLines(null, NOW, 76))).toEqual(['no account selected']);
  });
});

describe('eventsPage', () => {
  const events = Array.from({ length: 10 }, (_, i) => event(i + 1, { category: i % 2 ? 'proxy' : 'account' }));

  it("never cuts a request's status, tokens or latency, even at 80 columns", () => {
    const request = event(1, {
      category: 'proxy',
      level: 'warn',
      message: `work: ccbridge-opus → ${'gpt-5.5-a-very-long-model-name-'.repeat(3)} 429 usage_limit: The usage limit has been reached (12345 in, 0 out, 840 ms)`,
      data: { status: 429, inputTokens: 12345, outputTokens: 0, durationMs: 840 },
    });
    const [line] = eventsPage([request], 'all', '', 0, 78, 1).lines.map(lineText);
    expect(line!.length).toBeLessThanOrEqual(78);
    expect(line).toMatch(/^\d\d:\d\d:\d\d warn {2}proxy {7}work: ccbridge-opus → gpt.*… 429 · 12k→0 tok · 840 ms$/);
  });

  it('shows the newest events at the bottom', () => {
    const page = eventsPage(events, 'all', '', 0, 76, 3);
    expect(page.lines.map(lineText)).toEqual([
      '11:58:28 info  proxy       event number 8',
      '11:58:29 info  account     event number 9',
      '11:58:30 info  proxy       event number 10',
    ]);
    expect(page).toMatchObject({ older: 7, newer: 0 });
  });

  it('scrolls up, clamped to the oldest page', () => {
    expect(eventsPage(events, 'all', '', 2, 76, 3)).toMatchObject({ older: 5, newer: 2 });
    expect(eventsPage(events, 'all', '', 99, 76, 3)).toMatchObject({ older: 0, newer: 7 });
  });

  it('filters by category', () => {
    const page = eventsPage(events, 'proxy', '', 0, 76, 10);
    expect(page.lines).toHaveLength(5);
    expect(page.lines.every((l) => lineText(l).includes('proxy'))).toBe(true);
    expect(eventsPage(events, 'oauth', '', 0, 76, 10).lines.map(lineText)).toEqual(['no oauth events yet']);
  });

  it('keeps the events holding every word of the query in their level, category or text, in any case', () => {
    const mixed = [
      event(1, { category: 'proxy', level: 'warn', message: 'work: gpt-5.5 429 usage_limit' }),
      event(2, { category: 'proxy', message: 'work: gpt-5.5 200' }),
      event(3, { category: 'limits', level: 'warn', message: 'personal: 5h limit at 100%' }),
      event(4, { category: 'oauth', level: 'error', message: 'login for Work failed' }),
    ];
    const ids = (query: string, filter: EventFilter = 'all') => filterEvents(mixed, filter, query).map((e) => e.id);
    expect(ids('warn')).toEqual([1, 3]);
    expect(ids('PROXY')).toEqual([1, 2]);
    expect(ids('warn proxy')).toEqual([1]);
    expect(ids('work')).toEqual([1, 2, 4]);
    expect(ids('  ')).toEqual([1, 2, 3, 4]);
    expect(ids('work', 'oauth')).toEqual([4]);
    expect(eventsPage(mixed, 'all', 'nothing', 0, 76, 10).lines.map(lineText)).toEqual(['no events match "nothing"']);
  });
});

describe('trafficLine', () => {
  const traffic = (inflightCount: number) => ({
    inflight: [],
    inflightCount,
    lastMinute: { requests: 14, inputTokens: 120_000, outputTokens: 3_400 },
  });

  it("shows in flight, the last minute's rate and today's totals, all of it at 80 columns", () => {
    const view = makeView({ traffic: traffic(2), stats: { ...makeView().stats, errors: 3 } });
    expect(lineText(trafficLine(view, 80))).toBe(
      '▸ 2 in flight · 14 req/min · 123k tok/min · today 12 req, 35k/1.2k tok, 3 failed',
    );
    expect(trafficLine(view, 80)[1]).toEqual({ text: expect.any(String) }); // busy: not muted
  });

  it("drops today's totals, then the token rate, when narrow; quiet traffic is muted", () => {
    const quiet = makeView({ traffic: traffic(0) });
    expect(lineText(trafficLine(quiet, 60))).toBe('  0 in flight · 14 req/min · 123k tok/min');
    expect(lineText(trafficLine(quiet, 40))).toBe('  0 in flight · 14 req/min');
    expect(trafficLine(quiet, 60)[1]).toMatchObject({ tone: 'muted' });
  });

  it("shows today's totals alone from a daemon without the traffic view", () => {
    expect(lineText(trafficLine(makeView({ traffic: undefined }), 80))).toBe('  today 12 req, 35k/1.2k tok');
    expect(trafficLine(null, 80)).toEqual([]);
  });
});

describe('inflightLines', () => {
  const request = (i: number, over: Partial<InflightRequest> = {}): InflightRequest => ({
    requestId: `r${i}`,
    accountId: 'wrk1',
    accountName: 'work',
    model: 'gpt-5.5',
    stream: true,
    startedAt: new Date(NOW - 12_400).toISOString(),
    outputTokens: 1234,
    ...over,
  });
  const traffic = (inflight: InflightRequest[], inflightCount = inflight.length) => ({
    inflight,
    inflightCount,
    lastMinute: { requests: 0, inputTokens: 0, outputTokens: 0 },
  });

  it('lines a request up with the events: elapsed, live, proxy, account and model, tokens so far pinned right', () => {
    const lines = inflightLines(traffic([request(1)]), NOW, 76, 4).map(lineText);
    expect(lines).toEqual(['    +12s live  proxy       work: gpt-5.5                    ~1.2k tok so far']);
    expect(lines[0]).toHaveLength(76);
    // Never cut: a long model name gives way to the tokens.
    const long = inflightLines(traffic([request(1, { model: 'x'.repeat(80), accountName: null })]), NOW, 76, 4);
    expect(lineText(long[0]!)).toMatch(/^ {4}\+12s live {2}proxy {7}routing…: x+… ~1\.2k tok so far$/);
  });

  it('says how many more there are when they do not all fit', () => {
    const many = traffic([request(1), request(2), request(3)], 30);
    expect(inflightLines(many, NOW, 76, 3).map(lineText).at(-1)).toBe('▸ 28 more in flight');
    expect(inflightLines(many, NOW, 76, 1).map(lineText)).toEqual(['▸ 30 in flight']);
    expect(inflightLines(traffic([]), NOW, 76, 3)).toEqual([]);
    expect(inflightLines(undefined, NOW, 76, 3)).toEqual([]);
  });
});

describe('statusLine', () => {
  it('shows connection, bridge, active account and fast mode', () => {
    const line = lineText(statusLine(makeView(), { status: 'live' }, NOW, 80));
    expect(line).toBe('● live  http://127.0.0.1:9000  ★ work  fast off');
  });

  it('drops fast mode when narrower', () => {
    expect(lineText(statusLine(makeView(), { status: 'live' }, NOW, 45))).toBe('● live  http://127.0.0.1:9000  ★ work');
    // Connected, but every account out of quota: no green "live".
    const stuck = statusLine(makeView({ routeAccountId: null }), { status: 'live' }, NOW, 80);
    expect(stuck[0]).toMatchObject({ text: '● live · no account can serve', tone: 'error' });
  });

  it('shows where requests go when failover moved them off the active account', () => {
    const view = makeView({ activeAccountId: 'wrk1', routeAccountId: 'prs2' });
    expect(lineText(statusLine(view, { status: 'live' }, NOW, 200))).toContain('★ work → personal');
  });

  it('names the route account when none is active', () => {
    const view = makeView({ activeAccountId: null, routeAccountId: 'prs2' });
    expect(lineText(statusLine(view, { status: 'live' }, NOW, 200))).toContain('→ personal (default)');
  });

  it('shows how long a reconnect has been going on', () => {
    expect(
      lineText(statusLine(makeView(), { status: 'reconnecting', reason: 'x', since: NOW - 5000 }, NOW, 200)),
    ).toMatch(/^↻ reconnecting… 5s {2}http/);
    expect(lineText(statusLine(null, { status: 'connecting' }, NOW, 200))).toBe('◌ connecting…');
  });
});

describe('footerLine', () => {
  const base = {
    view: makeView(),
    query: '',
    pane: 'accounts' as const,
    notice: null,
    connection: { status: 'live' as const },
    width: 80,
  };

  it('shows the prompt with its cursor, hint or error', () => {
    expect(lineText(footerLine({ ...base, mode: { kind: 'add', value: 'te', error: null } }))).toBe(
      'new account name: te▌  enter add · esc cancel',
    );
    expect(
      lineText(footerLine({ ...base, mode: { kind: 'rename', accountId: 'wrk1', value: 'job', error: 'bad' } })),
    ).toBe('rename work to: job▌  bad');
  });

  it('shows the events filter while / edits it', () => {
    expect(lineText(footerLine({ ...base, query: 'warn pro', mode: { kind: 'search' } }))).toBe(
      'filter events: warn pro▌  enter keep · esc clear · matches level, category, text',
    );
  });

  it('asks before deleting', () => {
    expect(lineText(footerLine({ ...base, mode: { kind: 'confirmDelete', accountId: 'prs2' } }))).toBe(
      'delete personal and its login? y delete · any other key keeps it',
    );
  });

  it('shows the last result, else key hints', () => {
    expect(
      lineText(
        footerLine({ ...base, mode: { kind: 'normal' }, notice: { id: 1, tone: 'error', text: 'could not x: boom' } }),
      ),
    ).toBe('✗ could not x: boom');
    expect(lineText(footerLine({ ...base, mode: { kind: 'normal' } }))).toBe(
      '↑↓ select  u use  c connect  a add  m model  f fast  x delete  ? help  q quit',
    );
    // The events pane's own keys when it has the focus.
    expect(lineText(footerLine({ ...base, pane: 'events', mode: { kind: 'normal' } }))).toBe(
      '↑↓ scroll  G follow  / filter  ←→ category  tab pane  ? help  q quit',
    );
  });

  it('offers to start the daemon while it is unreachable', () => {
    const line = lineText(
      footerLine({
        ...base,
        mode: { kind: 'normal' },
        connection: { status: 'reconnecting', reason: 'no answer', since: NOW },
      }),
    );
    expect(line).toBe('✗ daemon unreachable · s start it · q quit · no answer');
  });
});

describe('panels', () => {
  const session: LoginSession = {
    id: 'ls1',
    accountId: 'wrk1',
    kind: 'browser',
    state: 'waiting',
    authUrl: 'https://auth.openai.com/oauth/authorize?' + 'x'.repeat(100),
    verificationUrl: null,
    userCode: null,
    startedAt: new Date(NOW).toISOString(),
    finishedAt: null,
    error: null,
  };

  it('leaves the sign-in URL out of the panel (it goes on a line of its own) and points to it', () => {
    const lines = loginLines(work, session).map(lineText);
    expect(lines.join('\n')).not.toContain('https');
    expect(lines).toContain('state: waiting for you to finish signing in…');
    expect(lines).toContain('Open the URL under this box in a browser on this machine (o opens it)');
    expect(loginUrl(session)).toBe(session.authUrl);
    expect(loginUrl({ ...session, state: 'succeeded' })).toBeNull();
    // Shown raw and handed to the browser opener: nothing that could end the link or move the cursor.
    expect(loginUrl({ ...session, authUrl: 'https://a.example/x?\u001b]8;;\u0007y z\n' })).toBe(
      'https://a.example/x?]8;;yz',
    );
  });

  it('shows the device code and where to enter it', () => {
    const device = {
      ...session,
      kind: 'device' as const,
      authUrl: null,
      verificationUrl: 'https://auth.openai.com/codex/device',
      userCode: 'ABCD-1234',
    };
    const lines = loginLines(work, device).map(lineText);
    expect(lines).toContain('1. open  the URL under this box, on any device');
    expect(lines).toContain('2. enter ABCD-1234');
    expect(loginUrl(device)).toBe('https://auth.openai.com/codex/device');
  });

  it('lists models with the current one marked and the choice highlighted', () => {
    const choices = [
      { id: null, label: '(default model)' },
      { id: 'gpt-5.5', label: 'gpt-5.5' },
    ];
    expect(modelLines(work, choices, 0, 10).map(lineText)).toEqual([
      'Model for work · now gpt-5.5',
      '› (default model)',
      '  gpt-5.5  (current)',
      '↑↓ choose · enter set · esc cancel',
    ]);
  });

  it('help lists every binding in two columns at 80 columns', () => {
    const lines = helpLines(76).map(lineText);
    expect(lines[0]).toMatch(/^↑ ↓ {2}j k +select \(events: scroll\) +A +apply Claude Code settings$/);
    expect(lines.join('\n')).toMatch(/q +quit \(ctrl\+c too\)/);
    expect(lines.every((l) => [...l].length <= 76)).toBe(true);
  });
});

describe('planLayout', () => {
  const sum = (l: ReturnType<typeof planLayout>) => 3 + l.accounts.height + l.lower.height;

  it('fills exactly the terminal height at any size', () => {
    for (const [columns, rows] of [
      [80, 24],
      [100, 40],
      [200, 60],
      [60, 16],
    ] as const) {
      for (const n of [0, 1, 3, 30]) {
        const l = planLayout({ columns, rows }, n, 4);
        expect(sum(l)).toBe(rows);
        expect(l.tooSmall).toBe(false);
        if (!l.sideBySide) expect(l.limits.height + l.events.height).toBe(l.lower.height);
        else expect(l.limits.width + l.events.width).toBe(columns);
      }
    }
  });

  it('stacks below 120 columns and sits side by side above', () => {
    expect(planLayout({ columns: 80, rows: 24 }, 3, 4)).toMatchObject({
      accounts: { height: 6 },
      limits: { height: 6 },
      events: { height: 9 },
      sideBySide: false,
    });
    expect(planLayout({ columns: 140, rows: 40 }, 3, 4)).toMatchObject({
      sideBySide: true,
      limits: { width: 63 },
      events: { width: 77 },
    });
  });

  it('caps the accounts pane so the lower panes keep room', () => {
    expect(planLayout({ columns: 80, rows: 24 }, 50, 4).accounts.height).toBe(10);
  });

  it('flags terminals below 60×16', () => {
    expect(planLayout({ columns: 59, rows: 30 }, 1, 1).tooSmall).toBe(true);
    expect(planLayout({ columns: 100, rows: 15 }, 1, 1).tooSmall).toBe(true);
  });
});

describe('themeFor', () => {
  it('drops every color under NO_COLOR', () => {
    expect(Object.values(themeFor({ NO_COLOR: '1' })).every((c) => c === undefined)).toBe(true);
    expect(themeFor({}).error).toBe('red');
    expect(themeFor({ NO_COLOR: '' }).error).toBe('red');
  });
});
