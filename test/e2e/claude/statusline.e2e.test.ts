import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CODEX } from '../../helpers/codexTestKit.js';
import {
  RATE_LIMIT_HEADERS,
  frame,
  sse,
  startFakeCodexBackend,
  type FakeCodexBackend,
} from '../../fakes/codexBackend.js';
import { makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { bridgeClient, makeHome, ok, okJson, run, type TestHome } from '../../helpers/cli.js';

// `ccbridge statusline` as Claude Code runs it: the built binary, the real statusLine stdin captured from
// Claude Code 2.1.332, the daemon's snapshot file. It must answer about as fast as `ccbridge --version`,
// and say the daemon is down without starting it.

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/claude-code/${name}`, import.meta.url), 'utf8');
const afterTurn = fixture('statusline-after-turn.json');
const SESSION = (JSON.parse(afterTurn) as { session_id: string }).session_id;

let h: TestHome;
let backend: FakeCodexBackend;

/** The fastest of `n` runs, in ms: the machine's noise only ever adds. */
async function fastest(args: string[], input: string, n = 3): Promise<{ ms: number; stdout: string }> {
  let best = { ms: Number.POSITIVE_INFINITY, stdout: '' };
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await run(h, args, { input });
    expect(r.code).toBe(0);
    const ms = performance.now() - t;
    if (ms < best.ms) best = { ms, stdout: r.stdout };
  }
  return best;
}

beforeAll(async () => {
  backend = await startFakeCodexBackend();
  h = await makeHome({ CCBRIDGE_CODEX_BIN: FAKE_CODEX, CCBRIDGE_UPSTREAM_URL: backend.url });
});

afterAll(async () => {
  await h.cleanup();
  await backend.close();
});

describe('ccbridge statusline', () => {
  it('says the daemon is down, without starting it, as fast as --version', async () => {
    const version = await fastest(['--version'], '');
    const line = await fastest(['statusline'], afterTurn);
    expect(line.stdout).toBe('ccbridge not running (ccbridge start) · Opus 5.5\n');
    expect(line.ms).toBeLessThan(version.ms * 2 + 100);
    const status = await run(h, ['status']);
    expect(status.code).toBe(1); // still down
  });

  it("shows the session's account, model, effort, quota and context while the daemon runs", async () => {
    const { id } = await okJson(h, ['add', 'work', '--model', 'gpt-5.4']);
    writeAuthJson(
      join(h.env.CCBRIDGE_HOME!, 'accounts', id, 'codex-home'),
      makeTokens({ chatgptAccountId: 'acct-work', email: 'work@example.com' }),
    );
    backend.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', ...RATE_LIMIT_HEADERS });
      res.end(
        sse
          .response([sse.message('hi')])
          .map(frame)
          .join(''),
      );
    });
    const client = await bridgeClient(h);
    await client.messages.create(
      { model: 'claude-opus-5-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'x-claude-code-session-id': SESSION } },
    );
    // The snapshot is written within a second of the change.
    const expected = /^work · gpt-5\.4 medium · 5h 42% · wk 8% · ↻ \d+d \d+h · ctx 4\.2k\/1M\n$/;
    const deadline = Date.now() + 5000;
    let out = '';
    while (!expected.test(out) && Date.now() < deadline) {
      out = await ok(h, ['statusline'], { input: afterTurn });
      if (!expected.test(out)) await new Promise((r) => setTimeout(r, 100));
    }
    expect(out).toMatch(expected);
    const version = await fastest(['--version'], '');
    const line = await fastest(['statusline'], afterTurn);
    expect(line.ms).toBeLessThan(version.ms * 2 + 100);
    // Colours unless NO_COLOR.
    const coloured = await run(h, ['statusline'], { input: afterTurn, env: { NO_COLOR: '' } });
    expect(coloured.stdout).toContain('\x1b[1;36mwork\x1b[0m');

    await ok(h, ['stop']);
    expect(await ok(h, ['statusline'], { input: afterTurn })).toBe(
      'ccbridge not running (ccbridge start) · Opus 5.5\n',
    );
  }, 60_000);
  it('apply-claude --statusline sets it only where there is none; --remove takes away only its own', async () => {
    const path = h.env.CLAUDE_SETTINGS_PATH!;
    const settings = () => JSON.parse(readFileSync(path, 'utf8'));
    expect(await ok(h, ['apply-claude', '--statusline'])).toContain('statusLine set to `ccbridge statusline`');
    expect(settings().statusLine).toEqual({ type: 'command', command: 'ccbridge statusline' });
    expect(await ok(h, ['apply-claude', '--remove'])).toContain("removed ccbridge's statusLine");
    expect(settings()).toEqual({});

    const theirs = { type: 'command', command: '~/.claude/line.sh' };
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify({ statusLine: theirs }));
    expect(await ok(h, ['apply-claude', '--statusline'])).toContain('you have a statusLine of your own; left it');
    await ok(h, ['apply-claude', '--remove']);
    expect(settings()).toEqual({ statusLine: theirs });
  }, 60_000);
});
