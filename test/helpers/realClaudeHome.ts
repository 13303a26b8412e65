import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE_CODEX } from './codexTestKit.js';
import { startFakeCodexBackend, type FakeCodexBackend } from '../fakes/codexBackend.js';
import { makeTokens, writeAuthJson } from '../fakes/fakeCodexAuth.mjs';
import { makeHome, okJson, type TestHome } from './cli.js';

/**
 * What the real-Claude-Code e2e tests share: a temp home whose daemon runs the fake codex and the real `claude` at
 * `claudeBin` against a fresh fake Codex backend, Claude Code's own background traffic and updater off.
 */
export async function realClaudeHome(claudeBin: string): Promise<{ h: TestHome; backend: FakeCodexBackend }> {
  const backend = await startFakeCodexBackend();
  const h = await makeHome({
    CCBRIDGE_CODEX_BIN: FAKE_CODEX,
    CCBRIDGE_UPSTREAM_URL: backend.url,
    CCBRIDGE_CLAUDE_BIN: claudeBin,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_MAX_RETRIES: '2',
    DISABLE_AUTOUPDATER: '1',
  });
  mkdirSync(h.env.HOME!, { recursive: true });
  return { h, backend };
}

/** Adds account `name` on `model`, logged in (codex's auth.json) as ChatGPT account `chatgptAccountId`. */
export async function addConnectedAccount(
  h: TestHome,
  name: string,
  model: string,
  login: { chatgptAccountId: string; email: string },
): Promise<void> {
  const { id } = await okJson(h, ['add', name, '--model', model]);
  writeAuthJson(join(h.env.CCBRIDGE_HOME!, 'accounts', id, 'codex-home'), makeTokens(login));
}
