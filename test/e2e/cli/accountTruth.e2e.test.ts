import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_CODEX } from '../../helpers/codexTestKit.js';
import { startFakeChatgpt, type FakeChatgpt } from '../../fakes/fakeChatgptServer.js';
import { startFakeCodexBackend, usageLimitBody, type FakeCodexBackend } from '../../fakes/codexBackend.js';
import { makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { makeTestTls } from '../../fakes/tlsCert.js';
import { freePort, makeHome, ok, okJson, run, type TestHome } from '../../helpers/cli.js';
import { until } from '../../helpers/until.js';

// `ccbridge test` tells the truth, and commands acting through an account exit 3 (sign in) / 4 (out of quota).
// Real codex (control plane against a fake ChatGPT), the fake Codex backend upstream.

let chatgpt: FakeChatgpt;
let backend: FakeCodexBackend;
let h: TestHome;
const tls = makeTestTls();

async function addSignedIn(home: TestHome, name: string): Promise<void> {
  const { id } = await okJson(home, ['add', name]);
  const codexHome = join(home.env.CCBRIDGE_HOME!, 'accounts', id, 'codex-home');
  writeFileSync(join(codexHome, 'config.toml'), `chatgpt_base_url = "${chatgpt.chatgptBaseUrl}"\n`);
  writeAuthJson(codexHome, makeTokens({ chatgptAccountId: `acct-${name}` }));
  // A running daemon sees the new auth.json through its watcher.
  if ((await run(home, ['status'])).code === 0)
    await until(
      async () =>
        (await okJson(home, ['list'])).accounts.find((a: { id: string }) => a.id === id).auth.state === 'connected',
      10_000,
      `${name} signed in`,
    );
}

const env = (upstream: string) => ({
  CCBRIDGE_CODEX_BIN: REAL_CODEX,
  CODEX_CA_CERTIFICATE: tls.caPath,
  CODEX_REFRESH_TOKEN_URL_OVERRIDE: '',
  CCBRIDGE_UPSTREAM_URL: upstream,
});

beforeAll(async () => {
  chatgpt = await startFakeChatgpt(tls);
  backend = await startFakeCodexBackend();
  h = await makeHome(env(backend.url));
  h.set({ CODEX_REFRESH_TOKEN_URL_OVERRIDE: chatgpt.refreshUrl });
  await addSignedIn(h, 'work');
  await ok(h, ['add', 'nologin']);
});
afterAll(async () => {
  await h.cleanup();
  await backend.close();
  await chatgpt.close();
});

describe('ccbridge test tells the truth', () => {
  it('with the backend unreachable the upstream step fails', async () => {
    const down = await makeHome(env(`http://127.0.0.1:${await freePort()}/backend-api/codex`));
    down.set({ CODEX_REFRESH_TOKEN_URL_OVERRIDE: chatgpt.refreshUrl });
    try {
      await addSignedIn(down, 'work');
      const r = await run(down, ['test', 'work']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/FAIL\s+upstream/);
      expect(r.stderr).toMatch(/failed at "upstream"/);
    } finally {
      await down.cleanup();
    }
  });

  it('an account that is not signed in: exit 3 from test, models and limits --refresh', async () => {
    for (const args of [
      ['test', 'nologin'],
      ['models', 'nologin'],
      ['limits', 'nologin', '--refresh'],
    ]) {
      const r = await run(h, args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(3);
      expect(r.stderr).toMatch(/^ccbridge: .*ccbridge (login|connect) nologin/);
    }
  });

  it('an account out of quota: the real request says so with its reset time (exit 4), then every command does', async () => {
    // 50 minutes away, so the countdown reads "Nm Ns" however the seconds round (an hour flips to "1h 0m").
    const resetsAt = Math.floor(Date.now() / 1000) + 3000;
    backend.script({ kind: 'json', status: 429, body: usageLimitBody(resetsAt) });
    const first = await run(h, ['test', 'work']);
    expect(first.code).toBe(4);
    expect(first.stdout).toMatch(/FAIL\s+upstream\s+\d+ ms\s+out of quota/);

    // Now known exhausted: the quota step says so (no request spent), with the reset time.
    const second = await run(h, ['test', '--json']);
    expect(second.code).toBe(4);
    const result = JSON.parse(second.stdout);
    expect(result.problem).toBe('out_of_quota');
    // In local time, as `limits` and `list` say it (TZ=UTC in the tests); after midnight with its weekday.
    expect(result.steps.find((s: { name: string }) => s.name === 'quota').detail).toMatch(
      new RegExp(
        `^out of quota until (\\w{3} )?${new Date(resetsAt * 1000).toISOString().slice(11, 16)} \\(\\d+m \\d+s\\)`,
      ),
    );

    // Every account out of quota (the other is not signed in): nobody is told to "add an account".
    const models = await run(h, ['models']);
    expect(models.code).toBe(0);
    expect(models.stdout).toMatch(/^work\n/);
    const claude = await run(h, ['claude', '-p', 'hi']);
    expect(claude.code).toBe(4);
    expect(claude.stderr).toMatch(/^ccbridge: every account is out of quota \(work\); the first is back at/);
    for (const r of [first, second, models, claude])
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/add an account|ccbridge add/);
  });

  it('where requests go is said where the user looks: use, disable, list', async () => {
    // work is out of quota since the test above; spare has quota.
    await addSignedIn(h, 'spare');
    expect(await ok(h, ['use', 'work'])).toMatch(/^work is active, but requests go to spare \(.*work.*\)\n/);
    expect(await ok(h, ['list'])).toMatch(/work +\S* *exhausted until (\w{3} )?\d\d:\d\d/);
    expect(await ok(h, ['disable', 'spare'])).toMatch(/^disabled spare; requests now go to no account/);
    const refused = await run(h, ['default', 'spare']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/spare is disabled; run `ccbridge enable spare` first/);
    await ok(h, ['enable', 'spare']);
  });
});

describe('bad values are refused', () => {
  it('a model the account does not list: `model` and `config set` refuse it (exit 2) unless --force', async () => {
    const listed = (await okJson(h, ['models', 'spare'])).models.map((m: { id: string }) => m.id);
    expect(listed.length).toBeGreaterThan(0);
    const bad = await run(h, ['model', 'spare', 'gpt-nonexistent']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`spare has no model gpt-nonexistent (it has: ${listed.join(', ')}); --force`);
    expect(await ok(h, ['model', 'spare', listed[0]])).toContain(listed[0]);
    expect(await ok(h, ['model', 'spare', 'gpt-nonexistent', '--force'])).toContain('gpt-nonexistent');
    await ok(h, ['model', 'spare', 'default']);

    const setting = await run(h, ['config', 'set', 'opusModel', 'gpt-nonexistent']);
    expect(setting.code).toBe(2);
    expect(setting.stderr).toMatch(/has no model gpt-nonexistent/);
    expect(await ok(h, ['config', 'set', 'opusModel', 'gpt-nonexistent', '--force'])).toContain('gpt-nonexistent');
    await ok(h, ['config', 'set', 'opusModel', 'null']);
  });
});
