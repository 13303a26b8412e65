import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_CODEX } from '../../helpers/codexTestKit.js';
import { sse, startFakeCodexBackend, type FakeCodexBackend } from '../../fakes/codexBackend.js';
import { makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { alive, bridgeClient, daemonPid, makeHome, okJson, run, type TestHome } from '../../helpers/cli.js';

// `ccbridge stop` stops accepting, lets in-flight bridge requests finish up to a deadline, then exits.

let h: TestHome;
let backend: FakeCodexBackend;
let client: Anthropic;

// Long enough (2.5 s) that `stop` lands mid-stream even on a loaded machine.
const WORDS = Array.from({ length: 25 }, (_, i) => `w${i} `);

async function setup(extra: NodeJS.ProcessEnv = {}): Promise<void> {
  backend = await startFakeCodexBackend();
  h = await makeHome({ CCBRIDGE_CODEX_BIN: FAKE_CODEX, CCBRIDGE_UPSTREAM_URL: backend.url, ...extra });
  const { id } = await okJson(h, ['add', 'work']);
  writeAuthJson(
    join(h.env.CCBRIDGE_HOME!, 'accounts', id, 'codex-home'),
    makeTokens({ chatgptAccountId: 'acct-work' }),
  );
  client = await bridgeClient(h);
  // A slow answer: 25 text deltas, 100 ms apart.
  backend.script({ kind: 'sse', events: sse.response([sse.message(WORDS)]), eventDelayMs: 100 });
}

afterEach(async () => {
  await h.cleanup();
  await backend.close();
});

function startStream() {
  const stream = client.messages.stream({
    model: 'gpt-5.5',
    max_tokens: 100,
    messages: [{ role: 'user', content: 'count' }],
  });
  const firstDelta = new Promise<void>((resolve) => stream.on('text', () => resolve()));
  stream.on('error', () => {}); // the cut stream's failure is asserted through finalText()
  return { stream, firstDelta };
}

describe('graceful stop', () => {
  it('lets an in-flight stream finish, refuses new connections meanwhile, then exits', async () => {
    await setup();
    const pid = daemonPid(h)!;
    const { stream, firstDelta } = startStream();
    let streamDone = false;
    void stream.done().then(() => (streamDone = true));
    await firstDelta;
    const stopping = run(h, ['stop', '--json']);
    // While it drains, the daemon refuses new connections (polled: `stop` itself needs a moment to start).
    let refused = false;
    const deadline = Date.now() + 10_000;
    while (!refused && Date.now() < deadline) {
      refused = await fetch(`http://127.0.0.1:${h.port}/health`).then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((r) => setTimeout(r, 20));
    }
    expect(refused).toBe(true);
    expect(streamDone).toBe(false); // the stop really landed mid-stream
    const text = await stream.finalText();
    expect(text).toBe(WORDS.join(''));
    const stopped = await stopping;
    expect(stopped.code).toBe(0);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ stopped: true, pid });
    expect(alive(pid)).toBe(false);
  });

  it('cuts requests still running at the deadline and says so', async () => {
    await setup({ CCBRIDGE_STOP_TIMEOUT_MS: '300' });
    const pid = daemonPid(h)!;
    const { stream, firstDelta } = startStream();
    await firstDelta;
    const t0 = Date.now();
    const stopped = await run(h, ['stop']);
    expect(stopped.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(1100); // the stream alone would take over a second
    expect(alive(pid)).toBe(false);
    await expect(stream.finalText()).rejects.toThrow();
    const events = readFileSync(join(h.env.CCBRIDGE_HOME!, 'events.jsonl'), 'utf8');
    expect(events).toContain('in-flight requests cut at the stop deadline');
  });
});
