import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlApi } from '../../../src/client/controlApi.js';
import { DaemonClient } from '../../../src/client/daemonClient.js';
import { resolvePaths } from '../../../src/shared/paths.js';
import { ModelListResponseSchema } from '../../../src/shared/schemas/api.js';
import { startFakeCodexBackend, type FakeCodexBackend } from '../../fakes/codexBackend.js';
import { makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { makeHome, ok, okJson, run, signIn, spawnCli, type TestHome } from '../../helpers/cli.js';
import { calls, FAKE_CODEX, isAlive, setBehaviour } from '../../helpers/codexTestKit.js';
import { until } from '../../helpers/until.js';

// The built binary end to end, with the fake codex as the account's control plane.
let h: TestHome;
const homeOf = (id: string) => join(h.env.CCBRIDGE_HOME!, 'accounts', id, 'codex-home');
const state = () => new DaemonClient(resolvePaths(h.env)).call(controlApi.state());
const add = async (name: string) => ((await okJson(h, ['add', name])) as { id: string }).id;
/** Every token that ever sat in an account's auth.json during the test (checked against the logs at the end). */
const seenTokens = new Set<string>();
const collectTokens = (id: string) => {
  const file = join(homeOf(id), 'auth.json');
  if (!existsSync(file)) return;
  const t = JSON.parse(readFileSync(file, 'utf8')).tokens;
  for (const v of [t.access_token, t.refresh_token, t.id_token]) seenTokens.add(v);
};

let backend: FakeCodexBackend;
beforeAll(async () => {
  // `ccbridge test` sends one real /responses request: to this fake backend.
  backend = await startFakeCodexBackend();
  h = await makeHome({
    CCBRIDGE_CODEX_BIN: FAKE_CODEX,
    CCBRIDGE_LOGIN_TIMEOUT_MS: '1500',
    CCBRIDGE_UPSTREAM_URL: backend.url,
  });
});
afterAll(async () => {
  await h.cleanup();
  await backend.close();
});

describe('ccbridge connect / logout / test (built binary, fake codex)', () => {
  it('connect: prints the sign-in link, ends connected; auth.json 0600 in a 0700 home', async () => {
    const id = await add('work');
    const r = await run(h, ['connect', 'work', '--no-browser']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /Open this link in a browser to sign in work to ChatGPT:\n\n {2}https:\/\/auth\.openai\.com\/oauth\/authorize\?/,
    );
    expect(r.stdout).toContain('use `ccbridge connect work --device-auth` instead');
    expect(r.stdout).toContain('connected work as user@example.com (pro)');
    expect(statSync(join(homeOf(id), 'auth.json')).mode & 0o777).toBe(0o600);
    expect(statSync(homeOf(id)).mode & 0o777).toBe(0o700);
    const account = (await state()).accounts.find((a) => a.id === id)!;
    expect(account.auth).toMatchObject({
      state: 'connected',
      email: 'user@example.com',
      planType: 'pro',
      chatgptAccountId: 'acct-fake-0001',
    });
    collectTokens(id);
  });

  it('connect opens the browser ($BROWSER) unless --no-browser; --device-auth shows the code', async () => {
    const opened = join(h.dir, 'opened.txt');
    const browser = join(h.dir, 'browser.sh');
    writeFileSync(browser, `#!/bin/sh\necho "$1" >> ${opened}\n`, { mode: 0o755 });
    const id = await add('tab');
    setBehaviour(homeOf(id), { loginDelayMs: 800 });
    await ok(h, ['connect', 'tab'], { env: { BROWSER: browser } });
    await until(() => existsSync(opened));
    expect(readFileSync(opened, 'utf8')).toMatch(/^https:\/\/auth\.openai\.com\/oauth\/authorize\?/);
    // Connected now: signing in again takes --force.
    const dev = await ok(h, ['connect', 'tab', '--device-auth', '--no-browser', '--force'], {
      env: { BROWSER: browser },
    });
    expect(dev).toContain('open https://auth.openai.com/codex/device on any device and enter the code');
    expect(dev).toContain('FAKE-CODE1');
    expect(readFileSync(opened, 'utf8').trim().split('\n')).toHaveLength(1);
    collectTokens(id);
  });

  it('Ctrl-C cancels the session in the daemon and the codex process is gone', async () => {
    const id = await add('ctrlc');
    setBehaviour(homeOf(id), { login: 'hang' });
    const child = spawnCli(h, ['connect', 'ctrlc', '--no-browser']);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d));
    child.stderr!.on('data', (d: Buffer) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await until(() => stdout.includes('oauth/authorize'), 15_000);
    const [login] = calls(homeOf(id), 'login-start');
    expect(isAlive(login!.pid)).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('ccbridge: login for ctrlc cancelled');
    const session = (await state()).loginSessions.find((s) => s.accountId === id)!;
    expect(session.state).toBe('cancelled');
    expect(isAlive(login!.pid)).toBe(false);
  });

  it('a login nobody completes times out (exit 1), codex stopped', async () => {
    const id = await add('slow');
    setBehaviour(homeOf(id), { login: 'hang' });
    const r = await run(h, ['connect', 'slow', '--device-auth']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ccbridge: login for slow timed out .*run `ccbridge connect slow` again\n$/);
    expect(isAlive(calls(homeOf(id), 'login-start')[0]!.pid)).toBe(false);
  });

  it('one login owner: a connected account needs --force; a stale open login is cancelled and said so', async () => {
    const connected = await run(h, ['connect', 'work', '--no-browser']);
    expect(connected.code).toBe(1);
    expect(connected.stderr).toBe(
      'ccbridge: work is already connected as user@example.com (pro); `ccbridge login work --force` signs in again\n',
    );
    expect((await run(h, ['login', 'work', '--force', '--no-browser'])).code).toBe(0);

    // A browser login left open (its terminal closed): nobody will finish it.
    const id = await add('left');
    setBehaviour(homeOf(id), { loginDelayMs: 60_000 });
    const client = new DaemonClient(resolvePaths(h.env));
    const { session: stale } = await client.call(controlApi.connect(id, 'browser'));
    await until(async () => (await state()).loginSessions.some((s) => s.id === stale.id && s.state === 'waiting'));
    setBehaviour(homeOf(id), {});
    const r = await run(h, ['connect', 'left', '--device-auth', '--no-browser']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^ccbridge: cancelled the earlier browser login for left \(started .*\)/);
    expect(r.stdout).toMatch(/enter the code/);
    expect(r.stdout).not.toContain('--device-auth` instead');
    expect((await client.call(controlApi.loginSession(stale.id))).session.state).toBe('cancelled');
    await ok(h, ['rm', 'left', '--yes']);
  });

  it('a failed login exits 1 with codex’s reason', async () => {
    const id = await add('denied');
    setBehaviour(homeOf(id), { login: 'fail', loginError: 'the user denied access' });
    const r = await run(h, ['connect', 'denied', '--no-browser']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ccbridge: login for denied failed: the user denied access');
  });

  it('test: every step ok after a refresh through codex', async () => {
    const id = await add('stale');
    writeAuthJson(homeOf(id), makeTokens({ email: 'stale@example.com' }, { accessTtlSec: -60 }));
    collectTokens(id);
    const result = (await okJson(h, ['test', 'stale'])) as {
      ok: boolean;
      steps: Array<{ name: string; status: string; detail: string }>;
    };
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['codex', 'ok'],
      ['auth', 'ok'],
      ['token', 'ok'],
      ['quota', 'ok'],
      ['upstream', 'ok'],
    ]);
    // The upstream step is one real /responses request with the account's (refreshed) token.
    const sent = backend.requests.filter((r) => r.path.endsWith('/responses'));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers.authorization).toMatch(/^Bearer /);
    expect(result.steps[2]!.detail).toContain('refreshed through codex');
    expect(calls(homeOf(id), 'refresh')).toHaveLength(1);
    collectTokens(id);
    const human = await ok(h, ['test', 'stale']);
    expect(human).toMatch(/ok\s+upstream\s+\d+ ms\s+the Codex backend answered a \/responses request/);
  });

  it('a refresh refused for good: test fails at "token", the account is needs-login with an event naming connect', async () => {
    const id = await add('dead');
    writeAuthJson(homeOf(id), makeTokens({}, { accessTtlSec: -60 }));
    setBehaviour(homeOf(id), { refresh: 'permanent' });
    collectTokens(id);
    const r = await run(h, ['test', 'dead']);
    expect(r.code).toBe(3); // needs login
    expect(r.stdout).toMatch(/FAIL\s+token/);
    expect(r.stderr).toContain('failed at "token"');
    expect(r.stderr).toContain('ccbridge connect dead');
    const account = (await state()).accounts.find((a) => a.id === id)!;
    expect(account.needsLogin).toBe(true);
    expect(account.auth.state).toBe('needs-login');
    const events = readFileSync(join(h.env.CCBRIDGE_HOME!, 'events.jsonl'), 'utf8');
    expect(events).toMatch(
      /"level":"error","category":"oauth","message":"Account \\"dead\\" must sign in again.*ccbridge connect dead/,
    );
    // A login made outside ccbridge (auth.json rewritten by codex) is noticed without a restart and clears it.
    writeAuthJson(homeOf(id), makeTokens({ email: 'again@example.com' }));
    collectTokens(id);
    await until(async () => !(await state()).accounts.find((a) => a.id === id)!.needsLogin, 10_000);
    expect((await state()).accounts.find((a) => a.id === id)!.auth).toMatchObject({
      state: 'connected',
      email: 'again@example.com',
    });
    await ok(h, ['rm', 'dead', '--yes']);
  });

  it('GET /api/accounts/:ref/models lists the account’s codex models', async () => {
    const body = await new DaemonClient(resolvePaths(h.env)).request('GET', '/api/accounts/work/models');
    const { models } = ModelListResponseSchema.parse(body);
    expect(models.map((m) => m.id)).toEqual(['gpt-5.5', 'gpt-5.4', 'gpt-5.4-mini', 'gpt-5.3-codex']);
  });

  it('logout signs out through codex; rm logs out before deleting the home', async () => {
    const id = (await state()).accounts.find((a) => a.name === 'work')!.id;
    const out = await ok(h, ['logout', 'work']);
    expect(out).toContain('logged out work');
    expect(existsSync(join(homeOf(id), 'auth.json'))).toBe(false);
    expect((await state()).accounts.find((a) => a.id === id)!.auth.state).toBe('not-connected');
    expect(calls(homeOf(id), 'logout')).toHaveLength(1);

    await ok(h, ['rm', 'tab', '--yes']);
    const events = readFileSync(join(h.env.CCBRIDGE_HOME!, 'events.jsonl'), 'utf8');
    expect(events).toContain('account tab logged out before removal');
  });

  it('every login step is an oauth event; sign-in links and codes stay out of the log', async () => {
    const events = readFileSync(join(h.env.CCBRIDGE_HOME!, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: string; category: string; message: string });
    const oauth = events.filter((e) => e.category === 'oauth').map((e) => `${e.level} ${e.message}`);
    expect(oauth).toEqual(
      expect.arrayContaining([
        'info login for work started (browser)',
        'info login for work waiting for the browser sign-in',
        'info work connected as user@example.com (pro)',
        'info login for tab waiting for the device code sign-in',
        'info login for ctrlc cancelled',
        expect.stringMatching(/^warn login for slow timed out; run `ccbridge connect slow` again$/),
        'warn login for denied failed: the user denied access',
      ]),
    );
    const log = events.map((e) => e.message).join('\n');
    expect(log).not.toContain('oauth/authorize');
    expect(log).not.toContain('FAKE-CODE1');
  });

  it('no token text in events.jsonl or the daemon log', async () => {
    expect(seenTokens.size).toBeGreaterThan(6);
    const files = [join(h.env.CCBRIDGE_HOME!, 'events.jsonl'), join(h.env.CCBRIDGE_HOME!, 'run', 'daemon.log')];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text.length).toBeGreaterThan(100);
      for (const token of seenTokens) expect(text.includes(token), `${file} contains a token`).toBe(false);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/);
    }
  });
});

describe('missing codex', () => {
  let m: TestHome;
  beforeAll(async () => {
    m = await makeHome({ CCBRIDGE_CODEX_BIN: '/nonexistent/codex' });
  });
  afterAll(async () => {
    await m.cleanup();
  });

  it('connect and test fail with exit 1 and one clear line', async () => {
    await ok(m, ['add', 'work']);
    const r = await run(m, ['connect', 'work']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'ccbridge: codex CLI not found: looked for CCBRIDGE_CODEX_BIN=/nonexistent/codex (not an executable file). Install it with `npm i -g @openai/codex` (ccbridge needs codex 0.125.0 or newer).\n',
    );
    const t = await run(m, ['test', 'work']);
    expect(t.code).toBe(1);
    expect(t.stdout).toMatch(/FAIL\s+codex\s+\d+ ms\s+codex CLI not found/);
  });

  it('limits --refresh, models and a bridge request that needs a refresh give the same error', async () => {
    const missing =
      /codex CLI not found: looked for CCBRIDGE_CODEX_BIN=\/nonexistent\/codex \(not an executable file\)\. Install it with `npm i -g @openai\/codex`/;
    const { id } = (await okJson(m, ['add', 'home'])) as { id: string };
    // Connected, but the access token is within codex's refresh window: the bridge must ask codex.
    await signIn(m, id, makeTokens({}, { accessTtlSec: 60 }));
    await ok(m, ['use', 'home']);
    for (const args of [
      ['limits', '--refresh'],
      ['limits', 'home', '--refresh'],
      ['models', 'home'],
    ]) {
      const r = await run(m, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(missing);
    }
    const token = (await ok(m, ['token'])).trim();
    const res = await fetch(`http://127.0.0.1:${m.port}/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': token, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'ccbridge-sonnet', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(missing);
  });
});
