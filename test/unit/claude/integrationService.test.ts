import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyIntegration,
  autoApplyIntegration,
  previewIntegration,
  type IntegrationHost,
} from '../../../src/daemon/integration/integrationService.js';
import { StateStore } from '../../../src/core/stateStore.js';
import type { EventInput } from '../../../src/shared/schemas/events.js';
import type { CodexModel } from '../../../src/shared/schemas/codexModel.js';
import type { Daemon } from '../../../src/daemon/daemon.js';

let dir: string;
let settingsPath: string;
let host: IntegrationHost & { port: number; token: string; events: EventInput[] };
/** Each account's model list as the daemon's catalogue would give it (none: the built-in list). */
let modelLists: Record<string, CodexModel[]>;
const processEnv = () => ({ CLAUDE_SETTINGS_PATH: settingsPath });
const apply = (body: { remove?: boolean; dryRun?: boolean; settingsPath?: string; statusLine?: boolean } = {}) =>
  applyIntegration(host, processEnv(), { remove: false, dryRun: false, ...body });
const read = () => readFileSync(settingsPath, 'utf8');
const mode = (p: string) => statSync(p).mode & 0o777;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccb-int-'));
  settingsPath = join(dir, 'home', '.claude', 'settings.json');
  const store = StateStore.open(join(dir, 'state.json'));
  const events: EventInput[] = [];
  modelLists = {};
  host = {
    providers: {
      routeAccountId: (state) => state.activeAccountId,
      models: (id: string) => modelLists[id] ?? null,
    } as Partial<Daemon['providers']> as Daemon['providers'],
    store,
    port: 9000,
    token: 'a'.repeat(43),
    events,
    log: (e: EventInput) => {
      events.push(e);
      return { ...e, id: events.length, time: '', accountId: null };
    },
    bridgeBaseUrl() {
      return `http://127.0.0.1:${this.port}/anthropic`;
    },
    ensureToken() {
      return this.token;
    },
  } as IntegrationHost & { port: number; token: string; events: EventInput[] };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('apply-claude through the integration service', () => {
  it('creates the file and its dir with mode 0600 and remembers what it wrote', () => {
    const r = apply();
    expect(r).toMatchObject({ path: settingsPath, action: 'apply', changed: true, written: true, backupPath: null });
    expect(mode(settingsPath)).toBe(0o600);
    expect(JSON.parse(read()).env.ANTHROPIC_BASE_URL).toBe('http://127.0.0.1:9000/anthropic');
    const integ = host.store.get().integration;
    expect(integ).toMatchObject({ appliedPath: settingsPath, appliedKeys: r.keys });
    expect(integ.appliedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(host.events.map((e) => e.category)).toEqual(['integration']);
    expect(JSON.stringify(host.events)).not.toContain(host.token);
  });

  it('keeps the existing mode, keeps the first backup (the file before ccbridge), leaves no temp files', () => {
    mkdirSync(join(dir, 'home', '.claude'), { recursive: true });
    writeFileSync(settingsPath, '{"model":"opus","env":{"MINE":"1"}}');
    chmodSync(settingsPath, 0o640);
    apply();
    expect(mode(settingsPath)).toBe(0o640);
    const backup = `${settingsPath}.ccbridge.bak`;
    expect(readFileSync(backup, 'utf8')).toBe('{"model":"opus","env":{"MINE":"1"}}');
    expect(mode(backup)).toBe(0o600);
    const after = JSON.parse(read());
    expect(after.model).toBe('opus');
    expect(after.env.MINE).toBe('1');
    host.port = 9001;
    expect(apply().written).toBe(true);
    expect(readFileSync(backup, 'utf8')).toBe('{"model":"opus","env":{"MINE":"1"}}');
    expect(readdirSync(join(dir, 'home', '.claude')).sort()).toEqual(['settings.json', 'settings.json.ccbridge.bak']);
  });

  it('re-applying with nothing changed leaves the file byte-identical and unwritten', () => {
    apply();
    const before = read();
    const mtime = statSync(settingsPath).mtimeMs;
    const again = apply();
    expect(again).toMatchObject({ changed: false, written: false, diff: '' });
    expect(read()).toBe(before);
    expect(statSync(settingsPath).mtimeMs).toBe(mtime);
    expect(host.events).toHaveLength(1);
  });

  it('refuses an invalid file and leaves it untouched, without a backup', () => {
    mkdirSync(join(dir, 'home', '.claude'), { recursive: true });
    writeFileSync(settingsPath, '{ "env": { "A": 1, }');
    expect(() => apply()).toThrow(/not valid JSON/);
    expect(read()).toBe('{ "env": { "A": 1, }');
    expect(readdirSync(join(dir, 'home', '.claude'))).toEqual(['settings.json']);
    expect(host.store.get().integration.appliedPath).toBeNull();
  });

  it('dry run returns the diff and changes nothing', () => {
    const r = apply({ dryRun: true });
    expect(r).toMatchObject({ dryRun: true, changed: true, written: false });
    expect(r.diff).toMatch(/^--- \/dev\/null\n\+\+\+ .*settings\.json\n@@ "env" @@\n\+ {4}"ANTHROPIC_BASE_URL": /);
    expect(r.diff).not.toContain(host.token);
    expect(r.diff).toContain(
      `"ANTHROPIC_AUTH_TOKEN": "${host.token.slice(0, 4)}…" (${host.token.length} characters, hidden)`,
    );
    expect(() => read()).toThrow();
    expect(host.store.get().integration.appliedPath).toBeNull();
  });

  it('--remove takes out only its keys, where it last wrote, and forgets them', () => {
    mkdirSync(join(dir, 'home', '.claude'), { recursive: true });
    writeFileSync(settingsPath, JSON.stringify({ env: { MINE: '1' }, theme: 'dark' }, null, 2));
    const other = join(dir, 'project', 'settings.local.json');
    apply({ settingsPath: other });
    apply();
    const removed = apply({ remove: true });
    expect(removed).toMatchObject({ path: settingsPath, action: 'remove', written: true, keys: [] });
    expect(JSON.parse(read())).toEqual({ env: { MINE: '1' }, theme: 'dark' });
    expect(host.store.get().integration).toMatchObject({ appliedPath: null, appliedKeys: [], appliedHash: null });
    expect(apply({ remove: true })).toMatchObject({ changed: false, written: false });
  });

  it('--statusline adds ccbridge statusline only where there is none, and --remove takes away only its own', () => {
    mkdirSync(join(dir, 'home', '.claude'), { recursive: true });
    writeFileSync(settingsPath, JSON.stringify({ theme: 'dark' }));
    expect(apply({ statusLine: true, dryRun: true })).toMatchObject({ statusLine: 'added', written: false });
    expect(JSON.parse(read())).toEqual({ theme: 'dark' });
    expect(apply({ statusLine: true })).toMatchObject({ statusLine: 'added', written: true });
    expect(JSON.parse(read()).statusLine).toEqual({ type: 'command', command: 'ccbridge statusline' });
    expect(apply({ statusLine: true })).toMatchObject({ statusLine: 'present', written: false });
    apply(); // a later apply (or auto-apply) without the flag keeps it, and it stays ccbridge's
    expect(host.store.get().integration.statusLine).toBe(true);
    expect(apply({ remove: true })).toMatchObject({ statusLine: 'removed', written: true });
    expect(JSON.parse(read())).toEqual({ theme: 'dark' });

    // The user's own statusLine is never replaced, and never removed.
    const theirs = { type: 'command', command: '~/.claude/my-line.sh', padding: 0 };
    writeFileSync(settingsPath, JSON.stringify({ statusLine: theirs }));
    expect(apply({ statusLine: true })).toMatchObject({ statusLine: 'theirs' });
    expect(host.store.get().integration.statusLine).toBe(false);
    expect(apply({ remove: true }).statusLine).toBeNull();
    expect(JSON.parse(read())).toEqual({ statusLine: theirs });
    // Nor is one the user wrote themselves that happens to be the same command.
    writeFileSync(settingsPath, JSON.stringify({ statusLine: { type: 'command', command: 'ccbridge statusline' } }));
    expect(apply({ statusLine: true })).toMatchObject({ statusLine: 'present' });
    apply({ remove: true });
    expect(JSON.parse(read()).statusLine).toEqual({ type: 'command', command: 'ccbridge statusline' });
  });

  it('writes through a symlinked settings.json', () => {
    const real = join(dir, 'dotfiles', 'claude-settings.json');
    mkdirSync(join(dir, 'dotfiles'));
    mkdirSync(join(dir, 'home', '.claude'), { recursive: true });
    writeFileSync(real, '{}');
    symlinkSync(real, settingsPath);
    apply();
    expect(statSync(settingsPath).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(real, 'utf8')).env.ANTHROPIC_AUTH_TOKEN).toBe(host.token);
  });
});

describe('auto-apply', () => {
  it('does nothing until the block was applied once, then follows port and token changes', () => {
    expect(autoApplyIntegration(host)).toBeNull();
    expect(() => read()).toThrow();
    apply();
    expect(autoApplyIntegration(host)).toBeNull();
    host.port = 9005;
    const r = autoApplyIntegration(host);
    expect(r).toMatchObject({ written: true });
    expect(JSON.parse(read()).env.ANTHROPIC_BASE_URL).toBe('http://127.0.0.1:9005/anthropic');
    expect(host.events.at(-1)).toMatchObject({
      category: 'integration',
      message: expect.stringMatching(/re-applied .*\(ANTHROPIC_BASE_URL\)/),
    });
    host.token = 'b'.repeat(43);
    autoApplyIntegration(host);
    expect(JSON.parse(read()).env.ANTHROPIC_AUTH_TOKEN).toBe(host.token);
    expect(host.events.at(-1)!.message).toMatch(/\(ANTHROPIC_AUTH_TOKEN\)/);
  });

  it('follows tier model settings and stops when autoApplyClaude is off', () => {
    apply();
    host.store.update((s) => {
      s.settings.opusModel = 'gpt-5.5';
    });
    autoApplyIntegration(host);
    expect(JSON.parse(read()).env).toMatchObject({
      ANTHROPIC_MODEL: 'gpt-5.5',
      ANTHROPIC_DEFAULT_OPUS_MODEL: 'gpt-5.5',
    });
    host.store.update((s) => {
      s.settings.autoApplyClaude = false;
    });
    host.port = 9100;
    expect(autoApplyIntegration(host)).toBeNull();
    expect(read()).not.toContain('9100');
  });

  it('leaves a hand edit alone while nothing of its own changed', () => {
    apply();
    const edited = read().replace('"API_TIMEOUT_MS": "1800000"', '"API_TIMEOUT_MS": "60000"');
    writeFileSync(settingsPath, edited);
    expect(autoApplyIntegration(host)).toBeNull();
    expect(read()).toBe(edited);
  });
});

describe('preview', () => {
  it('reports the target and whether it holds the current block', () => {
    expect(previewIntegration(host, processEnv())).toMatchObject({
      path: settingsPath,
      status: 'missing',
      upToDate: false,
      autoApply: true,
      account: null,
    });
    apply();
    expect(previewIntegration(host, processEnv())).toMatchObject({
      status: 'up-to-date',
      upToDate: true,
      applied: { path: settingsPath },
    });
    host.port = 9009;
    expect(previewIntegration(host, processEnv()).status).toBe('outdated');
    writeFileSync(settingsPath, 'nope');
    expect(previewIntegration(host, processEnv()).status).toBe('invalid');
  });

  it('pins an account by name and refuses an unknown one', () => {
    host.store.update((s) => {
      s.accounts.push({
        id: 'abcd1234',
        name: 'work',
        enabled: true,
        model: null,
        fastMode: null,
        createdAt: new Date().toISOString(),
        needsLogin: false,
      });
    });
    const p = previewIntegration(host, processEnv(), { account: 'work' });
    expect(p.account).toEqual({ id: 'abcd1234', name: 'work' });
    expect(p.env.ANTHROPIC_CUSTOM_HEADERS).toBe('x-ccbridge-account: abcd1234');
    expect(() => previewIntegration(host, processEnv(), { account: 'nope' })).toThrow(/no account "nope"/);
  });

  it('CLAUDE_CODE_MAX_CONTEXT_TOKENS follows the routed model’s catalogue window × its usable percent', () => {
    const account = (id: string, name: string, model: string | null) => ({
      id,
      name,
      enabled: true,
      model,
      fastMode: null,
      createdAt: new Date().toISOString(),
      needsLogin: false,
    });
    // The 0.169.0 catalogue (codex debug models --bundled): gpt-6.1-terra has 500k, the others 272k, all 95 %.
    const catalogue: CodexModel[] = [
      { id: 'gpt-6.1-sol', isDefault: true, contextWindow: 272_000, effectiveContextWindowPercent: 95 },
      { id: 'gpt-6.1-terra', contextWindow: 500_000, effectiveContextWindowPercent: 95 },
    ];
    modelLists = { aaaa1111: catalogue, bbbb2222: catalogue };
    const tokens = () => JSON.parse(read()).env.CLAUDE_CODE_MAX_CONTEXT_TOKENS;
    host.store.update((s) => {
      s.accounts.push(account('aaaa1111', 'work', null), account('bbbb2222', 'home', 'gpt-6.1-terra'));
      s.activeAccountId = 'aaaa1111';
    });
    apply();
    expect(tokens()).toBe('258400');
    // Another account (whose model is terra) becomes the one requests go to: re-applied with its window.
    host.store.update((s) => {
      s.activeAccountId = 'bbbb2222';
    });
    expect(autoApplyIntegration(host)?.written).toBe(true);
    expect(tokens()).toBe('475000');
    // The account's model changes back: so does the window.
    host.store.update((s) => {
      s.accounts[1]!.model = 'gpt-6.1-sol';
    });
    autoApplyIntegration(host);
    expect(tokens()).toBe('258400');
    // The opus tier pinned to terra wins over the account's model; a pinned session uses its account.
    host.store.update((s) => {
      s.settings.opusModel = 'gpt-6.1-terra';
    });
    autoApplyIntegration(host);
    expect(tokens()).toBe('475000');
    expect(previewIntegration(host, processEnv(), { account: 'work' }).env.CLAUDE_CODE_MAX_CONTEXT_TOKENS).toBe(
      '475000',
    );
  });
});
