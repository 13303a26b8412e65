import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateView } from '../../../src/shared/schemas/api.js';
import { FAKE_CODEX } from '../../helpers/codexTestKit.js';
import { sse, startFakeCodexBackend, type FakeCodexBackend } from '../../fakes/codexBackend.js';
import { makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { BIN, makeHome, middayZone, ok, okJson, type TestHome } from '../../helpers/cli.js';
import { TMUX, tmuxPane, type TmuxPane } from '../../helpers/tmuxPane.js';

/**
 * Live traffic in the built `ccbridge tui` (80×24 tmux pane) while the SDK streams a slow answer through
 * the real daemon from the fake Codex backend: the request in flight with its tokens so far, the rate
 * line, and today's totals, which come from the usage history and so survive `ccbridge restart`.
 */
describe.skipIf(!TMUX)('ccbridge tui live traffic (built binary, real daemon, tmux pty)', () => {
  let home: TestHome;
  let backend: FakeCodexBackend;
  let pane: TmuxPane;
  let client: Anthropic;

  beforeAll(async () => {
    backend = await startFakeCodexBackend();
    // Today's totals count by local day: a local noon keeps the test's requests on one date.
    home = await makeHome({ CCBRIDGE_CODEX_BIN: FAKE_CODEX, CCBRIDGE_UPSTREAM_URL: backend.url, TZ: middayZone() });
    const { id } = await okJson<{ id: string }>(home, ['add', 'work']);
    writeAuthJson(join(home.env.CCBRIDGE_HOME!, 'accounts', id, 'codex-home'), makeTokens({ chatgptAccountId: 'a' }));
    const token = (await ok(home, ['token'])).trim();
    client = new Anthropic({ baseURL: `http://127.0.0.1:${home.port}/anthropic`, authToken: token, apiKey: null });
    pane = tmuxPane(home);
  });

  afterAll(async () => {
    pane.kill();
    await home.cleanup();
    await backend.close();
  });

  it('shows the request in flight with its tokens so far, the rate, today after a restart, and finds its event', async () => {
    pane.tmux('new-session', '-d', '-s', 'ccb', '-x', '80', '-y', '24', process.execPath, BIN, 'tui');
    await pane.waitForScreen((s) => /^ {2}0 in flight · 0 req\/min/m.test(s), 'the quiet traffic line');

    // 40 deltas of 8 characters, 100 ms apart: 4 s of streaming, ~2 tokens more every 100 ms.
    const words = Array.from({ length: 40 }, (_, i) => `word${String(i).padStart(3, '0')} `);
    backend.script({ kind: 'sse', events: sse.response([sse.message(words)]), eventDelayMs: 100 });
    const stream = client.messages.stream({
      model: 'gpt-5.5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'go' }],
    });

    const liveRow = (s: string) => s.split('\n').find((l) => / live {2}proxy {7}work: gpt-5\.5 /.test(l)) ?? '';
    const soFar = (s: string) => Number(/~(\d+) tok so far/.exec(liveRow(s))?.[1] ?? -1);
    const first = await pane.waitForScreen((s) => soFar(s) > 0, 'the request in flight with tokens');
    expect(first.split('\n')[1]).toMatch(/^▸ 1 in flight · 0 req\/min/);
    expect(liveRow(first)).toMatch(/^│ +\+\d+s live {2}proxy {7}work: gpt-5\.5 +~\d+ tok so far │$/);
    // The daemon pushes the traffic every second while it changes: the count grows on screen.
    await pane.waitForScreen((s) => soFar(s) > soFar(first), 'more tokens so far');

    expect(await stream.finalText()).toBe(words.join(''));
    // The fake's usage: 120 in, 30 out. The proxy event replaces the live line.
    const done = await pane.waitForScreen((s) => /^ {2}0 in flight · 1 req\/min/m.test(s), 'the rate line');
    expect(done.split('\n')[1]).toBe('  0 in flight · 1 req/min · 150 tok/min · today 1 req, 120/30 tok');
    expect(liveRow(done)).toBe('');
    expect(done).toMatch(/ info {2}proxy {7}work: gpt-5\.5 → \S+ 200 · 120→30 tok · \d+ ms │/);

    // A new daemon: the rate starts over, today's totals do not.
    await ok(home, ['restart']);
    const after = await pane.waitForScreen(
      (s) => s.includes('daemon stopped') && /^ {2}0 in flight · 0 req\/min/m.test(s),
      'the TUI on the new daemon',
      10_000,
    );
    expect(after.split('\n')[1]).toBe('  0 in flight · 0 req/min · 0 tok/min · today 1 req, 120/30 tok');
    const { state } = await okJson<{ state: StateView }>(home, ['status']);
    expect(state.stats).toMatchObject({ requests: 1, inputTokens: 120, outputTokens: 30 });

    // The request's event is found again among the new daemon's with / (words in level, category or text).
    pane.tmux('send-keys', '-t', 'ccb', '/', 'p', 'r', 'o', 'x', 'y', ' ', '2', '0', '0', 'Enter');
    const found = await pane.waitForScreen((s) => s.includes('Events · all · "proxy 200"'), 'the filtered events');
    const rows = found.split('\n').filter((l) => /^[│┃] \d\d:\d\d:\d\d /.test(l));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/ info {2}proxy {7}work: gpt-5\.5 → \S+ 200 · 120→30 tok/);

    pane.tmux('send-keys', '-t', 'ccb', 'q');
    await pane.waitForScreen((s) => s === '(no tmux session)' || !s.includes('Accounts'), 'the TUI to quit');
  }, 30_000);
});
