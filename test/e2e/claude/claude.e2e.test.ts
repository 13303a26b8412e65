import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FAKE_CODEX } from '../../helpers/codexTestKit.js';
import { makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { BIN, makeHome, ok, okJson, run, type TestHome } from '../../helpers/cli.js';
import { until as untilHolds } from '../../helpers/until.js';

let h: TestHome;
beforeEach(async () => {
  h = await makeHome();
});
afterEach(async () => {
  await h.cleanup();
});

const settingsPath = () => h.env.CLAUDE_SETTINGS_PATH!;
const settings = () => JSON.parse(readFileSync(settingsPath(), 'utf8'));
const integrationEvents = () =>
  readFileSync(join(h.env.CCBRIDGE_HOME!, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((e) => e.category === 'integration');

/** The first defined value of `fn`, polled with vi.waitFor. */
function until<T>(fn: () => T | undefined, what: string, ms = 5000): Promise<T> {
  return vi.waitFor(
    () => {
      const v = fn();
      if (v === undefined) throw new Error(`timed out waiting for ${what}`);
      return v;
    },
    { timeout: ms, interval: 50 },
  );
}

function occupy(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });
}

describe('apply-claude', () => {
  it('dry run shows the diff, apply merges into an existing file, re-apply is a no-op, --remove restores', async () => {
    mkdirSync(join(h.dir, 'home', '.claude'), { recursive: true });
    const original = `${JSON.stringify({ model: 'opus', env: { MY_VAR: 'keep me' } }, null, 2)}\n`;
    writeFileSync(settingsPath(), original, { mode: 0o644 });
    chmodSync(settingsPath(), 0o644);

    const dry = await ok(h, ['apply-claude', '--dry-run']);
    expect(dry).toContain(`--- ${settingsPath()}`);
    expect(dry).toContain(`+    "ANTHROPIC_BASE_URL": "http://127.0.0.1:${h.port}/anthropic",`);
    expect(dry).toContain('dry run');
    expect(readFileSync(settingsPath(), 'utf8')).toBe(original);

    const applied = await okJson(h, ['apply-claude']);
    expect(applied).toMatchObject({
      written: true,
      path: settingsPath(),
      backupPath: `${settingsPath()}.ccbridge.bak`,
    });
    const token = (await okJson(h, ['token'])).token;
    expect(settings()).toEqual({
      model: 'opus',
      env: expect.objectContaining({
        MY_VAR: 'keep me',
        ANTHROPIC_BASE_URL: `http://127.0.0.1:${h.port}/anthropic`,
        ANTHROPIC_AUTH_TOKEN: token,
        ANTHROPIC_MODEL: 'ccbridge-opus',
      }),
    });
    expect(statSync(settingsPath()).mode & 0o777).toBe(0o644);
    expect(readFileSync(`${settingsPath()}.ccbridge.bak`, 'utf8')).toBe(original);

    const bytes = readFileSync(settingsPath());
    const mtime = statSync(settingsPath()).mtimeMs;
    expect(await ok(h, ['apply-claude'])).toMatch(/already up to date/);
    expect(readFileSync(settingsPath()).equals(bytes)).toBe(true);
    expect(statSync(settingsPath()).mtimeMs).toBe(mtime);

    await ok(h, ['config', 'set', 'opusModel', 'gpt-5.5']);
    const preview = await until(() => {
      const env = settings().env;
      return env.ANTHROPIC_MODEL === 'gpt-5.5' ? env : undefined;
    }, 'auto-apply of opusModel');
    expect(preview.ANTHROPIC_DEFAULT_OPUS_MODEL).toBe('gpt-5.5');

    await ok(h, ['apply-claude', '--remove']);
    expect(settings()).toEqual({ model: 'opus', env: { MY_VAR: 'keep me' } });
  });

  it('refuses an invalid settings file with exit 1 and leaves it untouched', async () => {
    mkdirSync(join(h.dir, 'home', '.claude'), { recursive: true });
    writeFileSync(settingsPath(), '{ "env": ');
    const r = await run(h, ['apply-claude']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not valid JSON.*untouched/);
    expect(readFileSync(settingsPath(), 'utf8')).toBe('{ "env": ');
    expect(existsSync(`${settingsPath()}.ccbridge.bak`)).toBe(false);
  });

  it('--settings writes another file, created 0600, and leaves the default one alone', async () => {
    const other = join(h.dir, 'project', '.claude', 'settings.local.json');
    await ok(h, ['apply-claude', '--settings', other]);
    expect(JSON.parse(readFileSync(other, 'utf8')).env.ANTHROPIC_BASE_URL).toBe(`http://127.0.0.1:${h.port}/anthropic`);
    expect(statSync(other).mode & 0o777).toBe(0o600);
    expect(existsSync(settingsPath())).toBe(false);
  });
});

describe("apply-claude and the user's own values", () => {
  it('calls out replaced values, diffs only changing keys with the token masked, keeps the first backup, restores exactly on --remove', async () => {
    mkdirSync(join(h.dir, 'home', '.claude'), { recursive: true });
    // The user's own layout (4-space indent) and their own model and timeout.
    const original = `${JSON.stringify(
      { theme: 'dark', env: { ANTHROPIC_MODEL: 'claude-opus-4', API_TIMEOUT_MS: '60000', MY_VAR: 'x' } },
      null,
      4,
    )}\n`;
    writeFileSync(settingsPath(), original);
    const { token } = await okJson(h, ['token']);

    const dry = await ok(h, ['apply-claude', '--dry-run']);
    expect(dry).not.toContain(token);
    expect(dry).toContain(`"ANTHROPIC_AUTH_TOKEN": "${token.slice(0, 4)}…"`);
    expect(dry).not.toMatch(/theme|MY_VAR/); // unchanged keys are not in the diff, however the file is laid out
    expect(dry).toContain('-    "ANTHROPIC_MODEL": "claude-opus-4",');
    expect(dry).toMatch(/# ANTHROPIC_MODEL: replaces your value "claude-opus-4"/);
    expect(dry).toMatch(/# API_TIMEOUT_MS: replaces your value "60000"/);

    const applied = await ok(h, ['apply-claude']);
    expect(applied).toMatch(
      /replaced your own ANTHROPIC_MODEL, API_TIMEOUT_MS; `ccbridge apply-claude --remove` puts them back/,
    );
    expect(applied).not.toContain(token);

    // An auto-apply (token rotation) rewrites the file but keeps the first backup.
    const rotated = (await okJson(h, ['token', '--rotate'])).token;
    await until(() => (settings().env.ANTHROPIC_AUTH_TOKEN === rotated ? true : undefined), 'the rotated token');
    expect(readFileSync(`${settingsPath()}.ccbridge.bak`, 'utf8')).toBe(original);

    expect(await ok(h, ['apply-claude', '--remove'])).toMatch(/put back your own ANTHROPIC_MODEL, API_TIMEOUT_MS/);
    expect(settings()).toEqual({
      theme: 'dark',
      env: { ANTHROPIC_MODEL: 'claude-opus-4', API_TIMEOUT_MS: '60000', MY_VAR: 'x' },
    });
  });
});

describe('auto-apply', () => {
  it('follows a fallback port at daemon start and leaves the file alone when nothing changed', async () => {
    await ok(h, ['config', 'set', 'portFallback', 'true']);
    await ok(h, ['apply-claude']);
    expect(settings().env.ANTHROPIC_BASE_URL).toBe(`http://127.0.0.1:${h.port}/anthropic`);
    await ok(h, ['stop']);

    const blocker = await occupy(h.port);
    try {
      await ok(h, ['start']);
      const { bridge } = await okJson(h, ['status']);
      const fallback = Number(new URL(bridge).port);
      expect(fallback).toBeGreaterThan(h.port);
      const env = (await okJson(h, ['env'])) as Record<string, string>;
      expect(env.ANTHROPIC_BASE_URL).toBe(`http://127.0.0.1:${fallback}/anthropic`);
      // The daemon re-applies before it answers its first request.
      expect(settings().env.ANTHROPIC_BASE_URL).toBe(env.ANTHROPIC_BASE_URL);
      const events = integrationEvents();
      expect(events.at(-1).message).toMatch(/re-applied Claude Code settings .*\(ANTHROPIC_BASE_URL\)/);

      const bytes = readFileSync(settingsPath());
      const mtime = statSync(settingsPath()).mtimeMs;
      await ok(h, ['restart']);
      expect((await okJson(h, ['env'])).ANTHROPIC_BASE_URL).toBe(env.ANTHROPIC_BASE_URL);
      expect(readFileSync(settingsPath()).equals(bytes)).toBe(true);
      expect(statSync(settingsPath()).mtimeMs).toBe(mtime);
      expect(integrationEvents()).toHaveLength(events.length);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('re-applies after `ccbridge token --rotate`', async () => {
    await ok(h, ['apply-claude']);
    const { token } = await okJson(h, ['token', '--rotate']);
    await until(
      () => (settings().env.ANTHROPIC_AUTH_TOKEN === token ? true : undefined),
      'the rotated token in settings.json',
    );
    expect(integrationEvents().at(-1).message).toMatch(/\(ANTHROPIC_AUTH_TOKEN\)/);
  });
});

describe('env', () => {
  it('prints export lines that `eval "$(ccbridge env)"` turns into the env block, even with the daemon down', async () => {
    // First, from cold: the daemon starts in the background and nothing but the lines reaches stdout.
    const out = await new Promise<string>((resolve, reject) =>
      execFile('sh', ['-c', `eval "$("${process.execPath}" "${BIN}" env)"; env`], { env: h.env }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      ),
    );
    const expected = (await okJson(h, ['env'])) as Record<string, string>;
    const got = Object.fromEntries(
      out
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    for (const [k, v] of Object.entries(expected)) expect(got[k], k).toBe(v);
    expect(expected.ANTHROPIC_BASE_URL).toBe(`http://127.0.0.1:${h.port}/anthropic`);
    expect(await ok(h, ['env', '--shell', 'fish'])).toMatch(
      /^set -gx ANTHROPIC_BASE_URL 'http:\/\/127\.0\.0\.1:\d+\/anthropic';$/m,
    );
    expect((await run(h, ['env', '--shell', 'csh'])).code).toBe(2);
  });
});

describe('ccbridge claude', () => {
  // `ccbridge claude` refuses to start Claude Code with no account to route to: each test has one signed in.
  beforeEach(async () => {
    h.set({ CCBRIDGE_CODEX_BIN: FAKE_CODEX });
    const { id } = await okJson(h, ['add', 'work']);
    writeAuthJson(join(h.env.CCBRIDGE_HOME!, 'accounts', id, 'codex-home'), makeTokens({}));
    // The daemon notices the new auth.json through its watcher.
    await untilHolds(
      async () => (await okJson(h, ['list'])).accounts[0].auth.state === 'connected',
      5000,
      'work signed in',
    );
  });

  it('runs `claude` from PATH with the env injected, args, stdio and exit code passed through', async () => {
    const bin = join(h.dir, 'bin');
    mkdirSync(bin);
    const out = join(h.dir, 'claude-saw');
    writeFileSync(
      join(bin, 'claude'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > '${out}.args'\nenv > '${out}.env'\nread line\necho "fake claude got: $line"\necho "to stderr" >&2\nexit 3\n`,
    );
    chmodSync(join(bin, 'claude'), 0o755);
    const { accounts } = await okJson(h, ['list']);
    const env = { PATH: `${bin}:${h.env.PATH}`, ANTHROPIC_API_KEY: 'sk-not-for-the-bridge' };

    const r = await run(h, ['claude', '--account', 'work', '-p', 'two words', '--model', 'opus', '--help'], {
      env,
      input: 'hi there\n',
    });
    expect(r.code).toBe(3);
    expect(r.stdout, r.stderr).toBe('fake claude got: hi there\n');
    expect(r.stderr).toBe('to stderr\n');
    expect(readFileSync(`${out}.args`, 'utf8')).toBe('-p\ntwo words\n--model\nopus\n--help\n');
    const seen = readFileSync(`${out}.env`, 'utf8');
    expect(seen).toContain(`ANTHROPIC_BASE_URL=http://127.0.0.1:${h.port}/anthropic\n`);
    expect(seen).toContain(`ANTHROPIC_AUTH_TOKEN=${(await okJson(h, ['token'])).token}\n`);
    expect(seen).toContain(`ANTHROPIC_CUSTOM_HEADERS=x-ccbridge-account: ${accounts[0].id}\n`);
    expect(seen).toContain('CLAUDE_CODE_ATTRIBUTION_HEADER=0\n');
    expect(seen).not.toContain('ANTHROPIC_API_KEY');
    expect(existsSync(settingsPath())).toBe(false);

    const plain = await run(h, ['claude'], { env: { PATH: `${bin}:${h.env.PATH}` } });
    expect(plain.code).toBe(3);
    expect(readFileSync(`${out}.env`, 'utf8')).not.toContain('ANTHROPIC_CUSTOM_HEADERS');
  });

  it('CCBRIDGE_CLAUDE_BIN overrides the lookup; a missing binary is a clear error', async () => {
    const fake = join(h.dir, 'my-claude');
    writeFileSync(fake, '#!/bin/sh\nexit 0\n');
    chmodSync(fake, 0o755);
    expect((await run(h, ['claude'], { env: { CCBRIDGE_CLAUDE_BIN: fake } })).code).toBe(0);
    const missing = await run(h, ['claude'], { env: { CCBRIDGE_CLAUDE_BIN: join(h.dir, 'nope') } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot run CCBRIDGE_CLAUDE_BIN=.*nope \(ENOENT\); install Claude Code/);
  });

  it('warns when settings.json would override the injected env', async () => {
    mkdirSync(join(h.dir, 'home', '.claude'), { recursive: true });
    writeFileSync(settingsPath(), JSON.stringify({ env: { ANTHROPIC_BASE_URL: 'http://elsewhere.example' } }));
    const fake = join(h.dir, 'my-claude');
    writeFileSync(fake, '#!/bin/sh\nexit 0\n');
    chmodSync(fake, 0o755);
    const r = await run(h, ['claude'], { env: { CCBRIDGE_CLAUDE_BIN: fake } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/sets ANTHROPIC_BASE_URL, which overrides this session's env/);
  });
});

describe('ccbridge test --claude', () => {
  it('reports each step of the round trip and exits 1 naming the step that failed', async () => {
    // No connected account here: whatever the bridge serves, the messages call cannot succeed.
    const r = await run(h, ['test', '--claude', '--json']);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({
      ok: false,
      baseUrl: `http://127.0.0.1:${h.port}/anthropic`,
      model: 'ccbridge-opus',
    });
    expect(result.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['settings file', 'warn'],
      ['bridge health', 'ok'],
      ['messages', 'failed'],
    ]);
    // The bridge's own answer, which says what to do (no misleading hint about the token).
    expect(result.steps[2].detail).toMatch(/^HTTP 401: no account yet; add one with `ccbridge add <name>`/);
    expect(result.steps[2].detail).not.toMatch(/token/);
    // Under --json the error is JSON on stderr too.
    expect(JSON.parse(r.stderr).error.message).toMatch(
      /Claude Code round trip failed at "messages": HTTP 401: no account yet/,
    );
  });
});
