import { cleanup } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoginSession } from '../../../src/shared/schemas/auth.js';
import { event, makeView, NOW, personal, sampleEvents, work } from '../../helpers/tuiFixtures.js';
import { fakeDaemon, KEYS, renderTui, settle } from '../../helpers/renderTui.js';

beforeEach(() => {
  // setImmediate stays real: React runs effects with it.
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'], now: NOW });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const lines = (screen: string, from: number, to?: number) => screen.split('\n').slice(from, to).join('\n');

describe('dashboard at 80×24', () => {
  it('renders the main screen', async () => {
    const tui = await renderTui(fakeDaemon(makeView(), { history: sampleEvents }));
    expect(tui.screen()).toMatchInlineSnapshot(`
      "● live  http://127.0.0.1:9000  ★ work  fast off
        0 in flight · 3 req/min · 9.4k tok/min · today 12 req, 35k/1.2k tok
      ┏━ Accounts · failover routing ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
      ┃     NAME         STATE         PLAN  MODEL        FAST 5H         WEEK       ┃
      ┃ ›★◆ work         connected     pro   gpt-5.5      off~ ██░░░  42% █░░░░  12% ┃
      ┃     personal     exhausted     plus  default      on   █████ 100% ████░  71% ┃
      ┃     spare        disabled      -     default      off~ -          -          ┃
      ┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛
      ┌─ Limits · work ──────────────────────────────────────────────────────────────┐
      │ work@example.com · pro · updated 1m 5s ago via headers                       │
      │ codex      5h     █████████████░░░░░░░░░░░░░░░░░░░  42% resets in 2h 05m 09s │
      │            weekly ████░░░░░░░░░░░░░░░░░░░░░░░░░░░░  12% resets in 4d 03h     │
      │            credits: 9.99                                                     │
      └──────────────────────────────────────────────────────────────────────────────┘
      ┌─ Events · all ───────────────────────────────────────────────────────────────┐
      │ 11:58:21 info  system      daemon 0.1.0 started (pid 4242)                   │
      │ 11:58:22 info  account     account work added                                │
      │ 11:58:23 info  proxy       POST /v1/messages → work 200 in 1.2s              │
      │ 11:58:24 warn  limits      personal: 5h limit at 100%, switching to work     │
      │ 11:58:25 error proxy       upstream 502 from chatgpt.com                     │
      │                                                                              │
      │                                                                              │
      └──────────────────────────────────────────────────────────────────────────────┘
      ↑↓ select  u use  c connect  a add  m model  f fast  x delete  ? help  q quit"
    `);
    expect(tui.screen().split('\n')).toHaveLength(24);
  });

  it('ticks the reset countdown every second', async () => {
    const tui = await renderTui(fakeDaemon(makeView()));
    expect(tui.screen()).toContain('resets in 2h 05m 09s');
    await vi.advanceTimersByTimeAsync(3000);
    await settle();
    expect(tui.screen()).toContain('resets in 2h 05m 06s');
  });

  it('shows the limits of the account the selection moves to, with stale and limit warnings', async () => {
    const tui = await renderTui(fakeDaemon(makeView()));
    await tui.press(KEYS.down);
    expect(lines(tui.screen(), 4, 15)).toMatchInlineSnapshot(`
      "┃  ★◆ work         connected     pro   gpt-5.5      off~ ██░░░  42% █░░░░  12% ┃
      ┃ ›   personal     exhausted     plus  default      on   █████ 100% ████░  71% ┃
      ┃     spare        disabled      -     default      off~ -          -          ┃
      ┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛
      ┌─ Limits · personal ──────────────────────────────────────────────────────────┐
      │ out of quota until 12:13 (13m 0s) · me@example.org · plus · updated 20m 0s … │
      │ codex      5h     ████████████████████████████████ 100% resets in 13m 05s    │
      │            weekly ███████████████████████░░░░░░░░░  71% resets in 2d 00h     │
      │            ! limit reached (rate_limit_reached)                              │
      │ ! stale: no request for 20m                                                  │
      └──────────────────────────────────────────────────────────────────────────────┘"
    `);
  });

  it('shows the key help over the panes and closes it on any key', async () => {
    const tui = await renderTui(fakeDaemon(makeView()));
    await tui.press('?');
    expect(tui.screen()).toMatchInlineSnapshot(`
      "● live  http://127.0.0.1:9000  ★ work  fast off
        0 in flight · 3 req/min · 9.4k tok/min · today 12 req, 35k/1.2k tok
      ┏━ Keys ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
      ┃ ↑ ↓  j k   select (events: scroll)     A          apply Claude Code settings ┃
      ┃ enter  u   use: route requests to it   x          delete (asks first)        ┃
      ┃ D          make it the default         tab        next pane, shift+tab back  ┃
      ┃ c          connect: browser or device  ← →        events: filter category    ┃
      ┃ a          add an account              /          events: filter by words    ┃
      ┃ r          rename                      pgup pgdn  events: page up / down     ┃
      ┃ e          enable / disable            g  G       first / last (G follows)   ┃
      ┃ m          pick its model              s          start the daemon if down   ┃
      ┃ f          fast: on → off → inherit    esc        dismiss message, cancel    ┃
      ┃ F          global fast mode on / off   ?          this help                  ┃
      ┃ l          refresh its limits          q          quit (ctrl+c too)          ┃
      ┃                                                                              ┃
      ┃ ★ active   ◆ default   fast "on~": inherited from the global setting         ┃
      ┃ press any key to close                                                       ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛
      ↑↓ select  u use  c connect  a add  m model  f fast  x delete  ? help  q quit"
    `);
    await tui.press('x');
    expect(tui.screen()).toContain('Accounts');
    expect(tui.screen()).not.toContain('delete personal');
  });
});

describe('keys drive the control API and show the outcome inline', () => {
  const ok =
    (body: unknown = {}) =>
    () =>
      body;
  const routes = {
    'POST /api/accounts/prs2/activate': ok({ account: { ...personal, isActive: true } }),
    'POST /api/accounts/prs2/default': ok({ account: personal }),
    'PATCH /api/accounts/prs2': ok({ account: personal }),
    'PATCH /api/settings': ok({ settings: { ...makeView().settings, fastMode: true }, changed: ['fastMode=true'] }),
    'POST /api/accounts/prs2/limits/refresh': ok({ account: personal }),
    'POST /api/integration/apply': ok({
      path: '/home/me/.claude/settings.json',
      action: 'apply',
      dryRun: false,
      changed: true,
      written: true,
      diff: '',
      keys: ['ANTHROPIC_BASE_URL'],
      backupPath: null,
    }),
    'DELETE /api/accounts/prs2': ok({ removed: personal }),
    'POST /api/accounts': ok({ account: { ...work, id: 'tm42', name: 'team', isActive: false, isDefault: false } }),
  };

  it('each account key sends its request for the selected account', async () => {
    const daemon = fakeDaemon(makeView(), { routes });
    const tui = await renderTui(daemon);
    await tui.press(KEYS.down, 'u');
    expect(tui.footer()).toBe('✓ now routing to personal');
    await tui.press('D', 'e', 'f', 'F', 'l', 'A', KEYS.enter);
    expect(daemon.requests).toEqual([
      { method: 'POST', path: '/api/accounts/prs2/activate' },
      { method: 'POST', path: '/api/accounts/prs2/default' },
      { method: 'PATCH', path: '/api/accounts/prs2', body: { enabled: false } },
      { method: 'PATCH', path: '/api/accounts/prs2', body: { fastMode: 'off' } },
      { method: 'PATCH', path: '/api/settings', body: { fastMode: true } },
      { method: 'POST', path: '/api/accounts/prs2/limits/refresh' },
      { method: 'POST', path: '/api/integration/apply' },
      { method: 'POST', path: '/api/accounts/prs2/activate' },
    ]);
  });

  it('keys typed in one read act one by one', async () => {
    const daemon = fakeDaemon(makeView(), { routes });
    const tui = await renderTui(daemon);
    await tui.press('ju');
    expect(daemon.requests).toEqual([{ method: 'POST', path: '/api/accounts/prs2/activate' }]);
  });

  it('in one read, text after a prompt key goes into the prompt and an Enter still ends it', async () => {
    const daemon = fakeDaemon(makeView(), { routes: { 'POST /api/accounts': () => ({ account: work }) } });
    const tui = await renderTui(daemon);
    await tui.press('/warn\r');
    expect(tui.screen()).toMatch(/┏━ Events · all · "warn" ━+/);
    expect(tui.footer()).toMatch(/^↑↓ scroll/);
    await tui.press('ateam\r');
    expect(daemon.requests).toEqual([{ method: 'POST', path: '/api/accounts', body: { name: 'team' } }]);
  });

  it("shows the daemon's error inline and keeps running", async () => {
    const daemon = fakeDaemon(makeView(), {
      routes: {
        'POST /api/accounts/wrk1/activate': () => {
          throw new Error('account work is disabled; enable it first');
        },
      },
    });
    const tui = await renderTui(daemon);
    await tui.press('u');
    expect(tui.footer()).toBe('✗ could not switch to work: account work is disabled; enable it first');
    await tui.press(KEYS.escape);
    expect(tui.footer()).toContain('? help');
  });

  it('a opens an inline prompt, validates the name, and adds the account', async () => {
    const daemon = fakeDaemon(makeView(), { routes });
    const tui = await renderTui(daemon);
    await tui.press('a');
    expect(tui.footer()).toBe('new account name: ▌  enter add · esc cancel');
    await tui.press(KEYS.enter);
    expect(tui.footer()).toBe('new account name: ▌  name must not be empty');
    await tui.press('te', 'ax', KEYS.backspace, 'm');
    expect(tui.footer()).toBe('new account name: team▌  enter add · esc cancel');
    await tui.press(KEYS.enter);
    expect(daemon.requests).toEqual([{ method: 'POST', path: '/api/accounts', body: { name: 'team' } }]);
    expect(tui.footer()).toBe('✓ added team; press c to connect it');
  });

  it('r renames through an inline prompt prefilled with the current name', async () => {
    const daemon = fakeDaemon(makeView(), { routes });
    const tui = await renderTui(daemon);
    await tui.press('j', 'r');
    expect(tui.footer()).toBe('rename personal to: personal▌  enter rename · esc cancel');
    for (let i = 0; i < 'personal'.length; i++) await tui.press(KEYS.backspace);
    await tui.press('home', KEYS.enter);
    expect(daemon.requests).toEqual([{ method: 'PATCH', path: '/api/accounts/prs2', body: { name: 'home' } }]);
  });

  it('x asks first and deletes only on y', async () => {
    const daemon = fakeDaemon(makeView(), { routes });
    const tui = await renderTui(daemon);
    await tui.press('j', 'x');
    expect(tui.footer()).toBe('delete personal and its login? y delete · any other key keeps it');
    await tui.press('n');
    expect(daemon.requests).toEqual([]);
    expect(tui.footer()).toBe('✓ nothing deleted');
    await tui.press('x', 'y');
    expect(daemon.requests).toEqual([{ method: 'DELETE', path: '/api/accounts/prs2' }]);
    expect(tui.footer()).toBe('✓ deleted personal');
  });

  it('m says inline when the daemon has no model list, without inventing one', async () => {
    const daemon = fakeDaemon(makeView());
    const tui = await renderTui(daemon);
    await tui.press('m');
    expect(daemon.requests).toEqual([{ method: 'GET', path: '/api/accounts/wrk1/models' }]);
    const screen = tui.screen();
    expect(screen.split('\n').at(-1)).toBe('✗ no model list for work: no route GET /api/accounts/wrk1/models');
    expect(screen).toContain('Limits · work');
    expect(screen).not.toContain('Model · work');
  });

  it('m picks from the account model list', async () => {
    const daemon = fakeDaemon(makeView(), {
      routes: {
        'GET /api/accounts/wrk1/models': () => ({
          models: [
            { id: 'gpt-5.5', displayName: 'GPT-5.5' },
            { id: 'gpt-5.4', displayName: 'GPT-5.4' },
          ],
        }),
        'PATCH /api/accounts/wrk1': () => ({ account: work }),
      },
    });
    const tui = await renderTui(daemon);
    await tui.press('m');
    expect(lines(tui.screen(), 8)).toMatchInlineSnapshot(`
      "┏━ Model · work ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
      ┃ Model for work · now gpt-5.5                                                 ┃
      ┃   (default model)                                                            ┃
      ┃ › gpt-5.5  GPT-5.5  (current)                                                ┃
      ┃   gpt-5.4  GPT-5.4                                                           ┃
      ┃ ↑↓ choose · enter set · esc cancel                                           ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛
      ✓ models of work loaded"
    `);
    await tui.press(KEYS.down, KEYS.enter);
    expect(daemon.requests.at(-1)).toEqual({ method: 'PATCH', path: '/api/accounts/wrk1', body: { model: 'gpt-5.4' } });
    expect(tui.footer()).toBe('✓ work now uses gpt-5.4');
  });
});

describe('login, events and connection', () => {
  const session = (over: Partial<LoginSession>): LoginSession => ({
    id: 'ls1',
    accountId: 'prs2',
    kind: 'device',
    state: 'starting',
    authUrl: null,
    verificationUrl: null,
    userCode: null,
    startedAt: new Date(NOW).toISOString(),
    finishedAt: null,
    error: null,
    ...over,
  });

  it('c starts a login and follows the session live until it succeeds', async () => {
    const daemon = fakeDaemon(makeView(), {
      routes: { 'POST /api/accounts/prs2/connect': () => ({ session: session({}) }) },
    });
    const tui = await renderTui(daemon);
    await tui.press('j', 'c');
    expect(lines(tui.screen(), 8, 15)).toMatchInlineSnapshot(`
      "┏━ Connect · personal ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
      ┃ Connect personal to a ChatGPT account:                                       ┃
      ┃                                                                              ┃
      ┃ b   browser login: opens a sign-in URL (this machine)                        ┃
      ┃ d   device code: sign in from any other device                               ┃
      ┃                                                                              ┃
      ┃ esc cancel                                                                   ┃"
    `);
    await tui.press('d');
    expect(daemon.requests).toEqual([{ method: 'POST', path: '/api/accounts/prs2/connect', body: { kind: 'device' } }]);
    daemon.pushState(
      makeView({
        loginSessions: [
          session({ state: 'waiting', verificationUrl: 'https://auth.openai.com/codex/device', userCode: 'WXYZ-4321' }),
        ],
      }),
    );
    await settle();
    // The device page on a line of its own under the panel: nothing but the URL to copy.
    expect(lines(tui.screen(), 8)).toMatchInlineSnapshot(`
      "┏━ Login · personal ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
      ┃ Login for personal · device code                                             ┃
      ┃ state: waiting for you to finish signing in…                                 ┃
      ┃                                                                              ┃
      ┃ 1. open  the URL under this box, on any device                               ┃
      ┃ 2. enter WXYZ-4321                                                           ┃
      ┃                                                                              ┃
      ┃ esc close (the login keeps running) · o open in browser · x cancel           ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛
      https://auth.openai.com/codex/device
      ✓ login started for personal"
    `);
    daemon.pushState(
      makeView({ loginSessions: [session({ state: 'succeeded', finishedAt: new Date(NOW).toISOString() })] }),
    );
    await settle();
    expect(tui.screen()).toContain('state: connected');
    expect(tui.screen()).toContain('signed in as me@example.org');
    await tui.press(KEYS.escape);
    expect(tui.screen()).toContain('Limits · personal');
  });

  const longUrl =
    'https://auth.openai.com/oauth/authorize?response_type=code&client_id=app_EMoamEEZ73f0CkXaXp7hrann' +
    '&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback&scope=openid+profile+email+offline_access' +
    '&code_challenge=Zs3k0lJm1Jq9xW7u6c5bM4nV2aQ8pR0tY1eU3iO5gH7&code_challenge_method=S256&state=Qm9ydGVk';

  it('shows a long sign-in URL as one line of its own that the terminal wraps, the screen still fitting', async () => {
    const waiting = session({ kind: 'browser', state: 'waiting', authUrl: longUrl });
    const tui = await renderTui(fakeDaemon(makeView({ loginSessions: [waiting] })));
    await tui.press('j', 'c');
    // One frame line holds the whole URL and nothing else (no border, no padding to copy along).
    const frame = (tui.lastFrame() ?? '').split('\n');
    expect(frame).toContain(longUrl);
    expect(frame).toHaveLength(24);
    expect(frame.join('\n')).not.toContain('\u001b]8;;');
    // On the 80×24 terminal: status line on top, the panel, the URL over four rows, the footer at the bottom.
    const screen = tui.terminal();
    expect(screen).toHaveLength(24);
    expect(screen[0]).toMatch(/^● live {2}http:\/\/127\.0\.0\.1:9000/);
    expect(screen.slice(18, 23).join('')).toBe(`┗${'━'.repeat(78)}┛${longUrl}`);
    expect(screen[23]).toMatch(/^↑↓ select/);
  });

  it('makes the sign-in URL an OSC 8 link where the terminal supports them', async () => {
    const waiting = session({ kind: 'browser', state: 'waiting', authUrl: longUrl });
    const tui = await renderTui(fakeDaemon(makeView({ loginSessions: [waiting] })), {
      env: { NO_COLOR: '1', FORCE_HYPERLINK: '1' },
    });
    await tui.press('j', 'c');
    expect((tui.lastFrame() ?? '').split('\n')).toContain(`\u001b]8;;${longUrl}\u0007${longUrl}\u001b]8;;\u0007`);
    expect(tui.terminal()[0]).toMatch(/^● live/);
  });

  it('x in the login panel cancels the running login', async () => {
    const waiting = session({
      state: 'waiting',
      kind: 'browser',
      authUrl: 'https://auth.openai.com/oauth/authorize?client_id=x',
    });
    const daemon = fakeDaemon(makeView({ loginSessions: [waiting] }), {
      routes: { 'DELETE /api/login-sessions/ls1': () => ({ session: { ...waiting, state: 'cancelled' } }) },
    });
    const tui = await renderTui(daemon);
    await tui.press('j', 'c');
    expect(tui.screen()).toContain('https://auth.openai.com/oauth/authorize?client_id=x');
    // Started elsewhere (e.g. by `ccbridge connect`, which opened the browser itself): not opened again.
    expect(tui.opened).toEqual([]);
    await tui.press('x');
    expect(daemon.requests).toEqual([{ method: 'DELETE', path: '/api/login-sessions/ls1' }]);
    expect(tui.footer()).toBe('✓ login for personal cancelled');
  });

  it('a browser login started here opens the sign-in page once, and o opens it again', async () => {
    const authUrl = 'https://auth.openai.com/oauth/authorize?client_id=x';
    const daemon = fakeDaemon(makeView(), {
      routes: { 'POST /api/accounts/prs2/connect': () => ({ session: session({ kind: 'browser' }) }) },
    });
    const tui = await renderTui(daemon);
    await tui.press('j', 'c', 'b');
    expect(tui.opened).toEqual([]);
    const waiting = makeView({ loginSessions: [session({ kind: 'browser', state: 'waiting', authUrl })] });
    daemon.pushState(waiting);
    await settle();
    daemon.pushState(waiting);
    await settle();
    expect(tui.opened).toEqual([authUrl]);
    expect(tui.footer()).toBe('✓ opened the sign-in page in your browser');
    await tui.press('o');
    expect(tui.opened).toEqual([authUrl, authUrl]);
  });

  it('says so when there is no browser to open', async () => {
    const waiting = session({
      kind: 'browser',
      state: 'waiting',
      authUrl: 'https://auth.openai.com/oauth/authorize?client_id=x',
    });
    const tui = await renderTui(fakeDaemon(makeView({ loginSessions: [waiting] })), { canOpenUrls: false });
    await tui.press('j', 'c', 'o');
    expect(tui.footer()).toBe('✗ no browser on this machine (no DISPLAY or BROWSER); open the URL by hand');
  });

  it('streams new events into the events pane, filters them and scrolls', async () => {
    const requests = Array.from({ length: 8 }, (_, i) =>
      event(10 + i, { category: 'proxy', message: `request ${i + 1} → work 200` }),
    );
    const daemon = fakeDaemon(makeView(), { history: [...sampleEvents, ...requests] });
    const tui = await renderTui(daemon);
    daemon.pushEvent(event(30, { category: 'oauth', message: 'login for personal succeeded' }));
    await settle();
    const eventLines = () => lines(tui.screen(), 14, 23);
    expect(eventLines().split('\n').at(-2)).toContain('login for personal succeeded');
    await tui.press(KEYS.tab, KEYS.tab);
    expect(eventLines()).toMatch(/┏━ Events · all ━+ ↑7 · following · ←→ \/ filter ━┓/);
    await tui.press(KEYS.up);
    expect(eventLines()).toMatch(/↑6 · ↓1 newer · G follows · ←→ \/ filter ━┓/);
    expect(eventLines()).not.toContain('login for personal succeeded');
    // Scrolled up, a new event does not move the page; G goes back to following it.
    daemon.pushEvent(event(31, { category: 'system', message: 'daemon log rotated' }));
    await settle();
    expect(eventLines()).toMatch(/↑6 · ↓2 newer · G follows/);
    await tui.press('G');
    expect(eventLines()).toContain('login for personal succeeded');
    expect(eventLines()).toContain('daemon log rotated');
    await tui.press(KEYS.right, KEYS.right);
    expect(eventLines()).toMatchInlineSnapshot(`
      "┏━ Events · account ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ following · ←→ / filter ━┓
      ┃ 11:58:22 info  account     account work added                                ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛"
    `);
  });

  it('/ filters the events by words in their level, category or text as they are typed', async () => {
    const history = [
      ...sampleEvents,
      event(10, { category: 'proxy', level: 'warn', message: 'work: gpt-5.5 429 usage_limit' }),
      event(11, { category: 'proxy', message: 'work: gpt-5.5 200' }),
    ];
    const tui = await renderTui(fakeDaemon(makeView(), { history }));
    await tui.press('/', 'w', 'a', 'r', 'n');
    expect(tui.footer()).toBe('filter events: warn▌  enter keep · esc clear · matches level, category, text');
    expect(lines(tui.screen(), 14, 23)).toMatchInlineSnapshot(`
      "┏━ Events · all · "warn" ━━━━━━━━━━━━━━━━━━━━━━━━━━━━ following · ←→ / filter ━┓
      ┃ 11:58:24 warn  limits      personal: 5h limit at 100%, switching to work     ┃
      ┃ 11:58:30 warn  proxy       work: gpt-5.5 429 usage_limit                     ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┃                                                                              ┃
      ┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛"
    `);
    await tui.press(' ', 'p', 'r', 'o', 'x', 'y', KEYS.enter);
    expect(tui.screen()).toMatch(/┏━ Events · all · "warn proxy" ━+ following · ←→ \/ filter ━┓/);
    expect(lines(tui.screen(), 15, 17)).toMatchInlineSnapshot(`
      "┃ 11:58:30 warn  proxy       work: gpt-5.5 429 usage_limit                     ┃
      ┃                                                                              ┃"
    `);
    // Kept after enter, while keys are commands again (the events pane's); / and esc clear it.
    expect(tui.footer()).toBe('↑↓ scroll  G follow  / filter  ←→ category  tab pane  ? help  q quit');
    await tui.press('/', KEYS.escape);
    expect(tui.screen()).toMatch(/┏━ Events · all ━+/);
    expect(tui.screen()).toContain('account work added');
  });

  it('shows requests in flight under the newest events and the rate line, live', async () => {
    const daemon = fakeDaemon(makeView(), { history: sampleEvents });
    const tui = await renderTui(daemon);
    const started = new Date(NOW - 2_000).toISOString();
    daemon.pushState(
      makeView({
        traffic: {
          inflight: [
            {
              requestId: 'r1',
              accountId: 'wrk1',
              accountName: 'work',
              model: 'gpt-5.5',
              stream: true,
              startedAt: started,
              outputTokens: 96,
            },
          ],
          inflightCount: 1,
          lastMinute: { requests: 4, inputTokens: 48_000, outputTokens: 1_500 },
        },
      }),
    );
    await settle();
    await vi.advanceTimersByTimeAsync(3000);
    await settle();
    expect(lines(tui.screen(), 0, 2)).toMatchInlineSnapshot(`
      "● live  http://127.0.0.1:9000  ★ work  fast off
      ▸ 1 in flight · 4 req/min · 50k tok/min · today 12 req, 35k/1.2k tok"
    `);
    expect(lines(tui.screen(), 14, 23)).toMatchInlineSnapshot(`
      "┌─ Events · all ───────────────────────────────────────────────────────────────┐
      │ 11:58:21 info  system      daemon 0.1.0 started (pid 4242)                   │
      │ 11:58:22 info  account     account work added                                │
      │ 11:58:23 info  proxy       POST /v1/messages → work 200 in 1.2s              │
      │ 11:58:24 warn  limits      personal: 5h limit at 100%, switching to work     │
      │ 11:58:25 error proxy       upstream 502 from chatgpt.com                     │
      │      +5s live  proxy       work: gpt-5.5                      ~96 tok so far │
      │                                                                              │
      └──────────────────────────────────────────────────────────────────────────────┘"
    `);
    // Finished: the line goes, its proxy event comes, the rate counts it.
    daemon.pushEvent(
      event(6, {
        category: 'proxy',
        message: 'work: claude-sonnet-4-5 → gpt-5.5 200 (48000 in, 310 out, 5012 ms)',
        data: { status: 200, inputTokens: 48_000, outputTokens: 310, durationMs: 5012 },
      }),
    );
    daemon.pushState(
      makeView({
        traffic: {
          inflight: [],
          inflightCount: 0,
          lastMinute: { requests: 5, inputTokens: 96_000, outputTokens: 1_810 },
        },
        stats: { day: '2026-03-01', requests: 13, errors: 0, inputTokens: 82_567, outputTokens: 1_544 },
      }),
    );
    await settle();
    expect(tui.screen()).not.toContain('tok so far');
    expect(lines(tui.screen(), 1, 2)).toBe('  0 in flight · 5 req/min · 98k tok/min · today 13 req, 83k/1.5k tok');
    expect(lines(tui.screen(), 20, 21)).toBe(
      '│ 11:58:26 info  proxy       work: claude-sonnet-… 200 · 48k→310 tok · 5012 ms │',
    );
  });

  it('shows reconnecting… while the daemon is away and recovers when it is back', async () => {
    const daemon = fakeDaemon(makeView());
    const tui = await renderTui(daemon);
    daemon.down = true;
    daemon.drop();
    await settle();
    await vi.advanceTimersByTimeAsync(2000);
    await settle();
    const screen = tui.screen().split('\n');
    expect(screen[0]).toMatch(/^↻ reconnecting… 2s {2}http:\/\/127\.0\.0\.1:9000/);
    expect(screen.at(-1)).toBe('✗ daemon unreachable · s start it · q quit · the ccbridge daemon is not running…');
    // The last state stays on screen meanwhile.
    expect(tui.screen()).toContain('Limits · work');
    daemon.down = false;
    await vi.advanceTimersByTimeAsync(2000);
    await settle();
    expect(tui.statusRow()).toMatch(/^● live/);
  });

  it('s starts the daemon while it is down and reconnects right away', async () => {
    const daemon = fakeDaemon(makeView());
    daemon.down = true;
    const startDaemon = vi.fn(async () => {
      daemon.down = false;
    });
    const tui = await renderTui(daemon, { startDaemon });
    await vi.advanceTimersByTimeAsync(0);
    await settle();
    expect(tui.statusRow()).toMatch(/^↻ reconnecting…/);
    await tui.press('s');
    await settle();
    expect(startDaemon).toHaveBeenCalledOnce();
    // No timer advanced: the retry sleep was cut short.
    expect(tui.statusRow()).toMatch(/^● live/);
    expect(tui.footer()).toBe('✓ daemon started');
  });
});

describe('other sizes', () => {
  it('puts limits and events side by side on a wide terminal and shows the e-mail column', async () => {
    const tui = await renderTui(fakeDaemon(makeView(), { history: sampleEvents }), {
      size: { columns: 130, rows: 20 },
    });
    expect(tui.screen()).toMatchInlineSnapshot(`
      "● live  http://127.0.0.1:9000  ★ work  fast off
        0 in flight · 3 req/min · 9.4k tok/min · today 12 req, 35k/1.2k tok
      ┏━ Accounts · failover routing ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
      ┃     NAME                 EMAIL                           STATE         PLAN  MODEL        FAST 5H              WEEK            ┃
      ┃ ›★◆ work                 work@example.com                connected     pro   gpt-5.5      off~ ████░░░░░░  42% █░░░░░░░░░  12% ┃
      ┃     personal             me@example.org                  exhausted     plus  default      on   ██████████ 100% ███████░░░  71% ┃
      ┃     spare                -                               disabled      -     default      off~ -               -               ┃
      ┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛
      ┌─ Limits · work ────────────────────────────────────────┐┌─ Events · all ───────────────────────────────────────────────────────┐
      │ work@example.com · pro · updated 1m 5s ago via headers ││ 11:58:21 info  system  daemon 0.1.0 started (pid 4242)               │
      │ codex      5h     ███████░░░░░░░░░░  42% in 2h 05m 09s ││ 11:58:22 info  account account work added                            │
      │            weekly ██░░░░░░░░░░░░░░░  12% in 4d 03h     ││ 11:58:23 info  proxy   POST /v1/messages → work 200 in 1.2s          │
      │            credits: 9.99                               ││ 11:58:24 warn  limits  personal: 5h limit at 100%, switching to work │
      │                                                        ││ 11:58:25 error proxy   upstream 502 from chatgpt.com                 │
      │                                                        ││                                                                      │
      │                                                        ││                                                                      │
      │                                                        ││                                                                      │
      │                                                        ││                                                                      │
      └────────────────────────────────────────────────────────┘└──────────────────────────────────────────────────────────────────────┘
      ↑↓ select  u use  c connect  a add  m model  f fast  x delete  tab pane  ? help  q quit"
    `);
  });

  it('asks for a bigger terminal below 60×16 instead of garbling', async () => {
    const tui = await renderTui(fakeDaemon(makeView()), { size: { columns: 50, rows: 12 } });
    expect(tui.screen()).toMatchInlineSnapshot(`
      "terminal too small: 50×12
      ccbridge tui needs 60×16
      q quits








      "
    `);
  });
});
