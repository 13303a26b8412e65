import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateView } from '../../../src/shared/schemas/api.js';
import { BIN, daemonPid, makeHome, ok, okJson, run, type TestHome } from '../../helpers/cli.js';
import { TMUX, tmuxPane, type TmuxPane } from '../../helpers/tmuxPane.js';

/**
 * The built `ccbridge tui` in a real pseudo-terminal (a detached tmux session of exactly 80×24),
 * against a real daemon on a temp home: keys go in with send-keys, the screen comes back with
 * capture-pane, and the effect is checked through the CLI.
 */
describe.skipIf(!TMUX)('ccbridge tui (built binary, real daemon, tmux pty)', () => {
  let home: TestHome;
  let pane: TmuxPane;
  const tmux = (...args: string[]) => pane.tmux(...args);
  const screen = (opts?: string[]) => pane.screen(opts);
  const waitForScreen = (predicate: (text: string) => boolean, what: string, timeoutMs?: number) =>
    pane.waitForScreen(predicate, what, timeoutMs);

  const rowOf = (text: string, name: string) =>
    text.split('\n').find((l) => new RegExp(`^┃ .{3} ${name} `).test(l)) ?? '';

  beforeAll(async () => {
    home = await makeHome();
    await ok(home, ['add', 'work']);
    await ok(home, ['add', 'personal']);
    pane = tmuxPane(home);
  });

  afterAll(async () => {
    pane.kill();
    await home.cleanup();
  });

  it('selects the second account, uses it, applies Claude settings, survives a resize and a daemon stop, and quits', async () => {
    tmux('new-session', '-d', '-s', 'ccb', '-x', '80', '-y', '24', process.execPath, BIN, 'tui');
    const first = await waitForScreen((s) => s.startsWith('● live') && s.includes('personal'), 'the live dashboard');
    expect(first.split('\n')).toHaveLength(24);
    expect(rowOf(first, 'work')).toMatch(/^┃ ›★◆ work +not connected/);

    tmux('send-keys', '-t', 'ccb', 'j');
    await waitForScreen((s) => rowOf(s, 'personal').startsWith('┃ ›'), 'the selection on personal');
    tmux('send-keys', '-t', 'ccb', 'u');
    // The result line comes with the answer; the ★ moves with the state the daemon pushes right after.
    const used = await waitForScreen(
      (s) => s.trimEnd().endsWith('✓ now routing to personal') && /^┃ ›★ {2}personal/.test(rowOf(s, 'personal')),
      'the result line and the ★ on personal',
    );
    expect(used.split('\n')[0]).toContain('★ personal');

    const state = await okJson<StateView>(home, ['list']);
    expect(state.accounts.find((a) => a.isActive)?.name).toBe('personal');

    // A writes Claude Code's settings through the daemon.
    tmux('send-keys', '-t', 'ccb', 'A');
    await waitForScreen((s) => /^✓ Claude Code settings written to /m.test(s), 'the apply result line');
    const settings = JSON.parse(readFileSync(home.env.CLAUDE_SETTINGS_PATH!, 'utf8'));
    expect(settings.env.ANTHROPIC_BASE_URL).toBe(`http://127.0.0.1:${home.port}/anthropic`);

    // NO_COLOR (set by makeHome): styles such as bold may appear, colors never do.
    expect(screen(['-e'])).not.toMatch(/\u001b\[[0-9;]*(3[0-7]|9[0-7]|38;[25])[;m]/);

    // A resize repaints the whole frame at the new size; shrinking back restores the 80×24 frame exactly.
    tmux('resize-window', '-t', 'ccb', '-x', '130', '-y', '30');
    const wide = await waitForScreen((s) => s.includes('EMAIL'), 'the wide layout');
    expect(wide.split('\n')).toHaveLength(30);
    expect(wide.split('\n').every((l) => [...l].length <= 130)).toBe(true);
    expect(wide).toMatch(/┌─ Limits · personal ─+┐┌─ Events · all ─+┐/);
    tmux('resize-window', '-t', 'ccb', '-x', '80', '-y', '24');
    const top = (s: string) => s.split('\n').slice(0, 13).join('\n');
    await waitForScreen(
      (s) => s.split('\n').length === 24 && top(s) === top(used),
      'the same 80×24 frame as before the resize',
    );

    // The daemon goes away: the TUI says so and keeps the last state; `s` starts it again.
    await ok(home, ['stop']);
    const down = await waitForScreen((s) => s.startsWith('↻ reconnecting…'), 'the reconnecting state');
    expect(down.trimEnd().split('\n').at(-1)).toMatch(/^✗ daemon unreachable · s start it · q quit/);
    expect(rowOf(down, 'personal')).toContain('personal');
    tmux('send-keys', '-t', 'ccb', 's');
    await waitForScreen((s) => s.startsWith('● live'), 'live again after s', 10_000);
    expect((await okJson<StateView>(home, ['list'])).accounts.find((a) => a.isActive)?.name).toBe('personal');

    tmux('send-keys', '-t', 'ccb', 'q');
    await waitForScreen((s) => s === '(no tmux session)' || !s.includes('Accounts'), 'the TUI to quit');
  }, 30_000);

  it('shows the sign-in URL of a browser login as one line the terminal wraps, under a whole screen', async () => {
    const { accounts } = await okJson<StateView>(home, ['list']);
    const work = accounts.find((a) => a.name === 'work')!;
    // The login waits for the user, as a real one does, so the URL stays up.
    writeFileSync(
      join(home.env.CCBRIDGE_HOME!, 'accounts', work.id, 'codex-home', 'fake-codex.json'),
      JSON.stringify({ login: 'hang' }),
    );
    tmux('new-session', '-d', '-s', 'ccb', '-x', '80', '-y', '24', process.execPath, BIN, 'tui');
    await waitForScreen((s) => s.startsWith('● live') && s.includes('personal'), 'the live dashboard');
    tmux('send-keys', '-t', 'ccb', 'g', 'c', 'b');
    const shown = await waitForScreen((s) => s.includes('Open the URL under this box'), 'the login panel');
    // The terminal's rows: status line still on top, footer at the bottom, the URL in between.
    const rows = shown.split('\n');
    expect(rows).toHaveLength(24);
    expect(rows[0]).toMatch(/^● live/);
    expect(rows[23]).toMatch(/^\S/);
    // Joined where the terminal wrapped them: the URL is one line holding nothing else, so it copies whole.
    const joined = screen(['-J']).split('\n');
    const url = joined.find((l) => l.startsWith('https://'))?.trimEnd() ?? '';
    expect(url).toMatch(/^https:\/\/auth\.openai\.com\/oauth\/authorize\?\S+&originator=codex_cli_rs$/);
    expect(url.length).toBeGreaterThan(160);
    tmux('send-keys', '-t', 'ccb', 'x');
    await waitForScreen((s) => s.includes('state: cancelled'), 'the cancelled login');
    tmux('send-keys', '-t', 'ccb', 'Escape');
    await waitForScreen((s) => s.includes('Limits · work'), 'the panel closed');
    tmux('send-keys', '-t', 'ccb', 'q');
    await waitForScreen((s) => s === '(no tmux session)' || !s.includes('Accounts'), 'the TUI to quit');
  }, 30_000);
});

describe('ccbridge tui without a terminal', () => {
  it('explains that it needs one, exits 1 and starts nothing', async () => {
    const home = await makeHome();
    try {
      const r = await run(home, ['tui']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        'ccbridge: `ccbridge tui` needs an interactive terminal; in scripts use `ccbridge status`, `list --json` or `logs -f`\n',
      );
      expect(daemonPid(home)).toBeNull();
    } finally {
      await home.cleanup();
    }
  });
});
