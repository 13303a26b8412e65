import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILTIN_MODELS } from '../../../src/translate/codexModels.js';
import { stateCompletionSource } from '../../../src/cli/complete/stateCompletionSource.js';
import { accountHome, resolvePaths, type Paths } from '../../../src/shared/paths.js';

describe('stateCompletionSource', () => {
  let dir: string;
  let paths: Paths;
  const writeState = (state: unknown) =>
    writeFileSync(paths.stateFile, typeof state === 'string' ? state : JSON.stringify(state));
  const writeModelsCache = (id: string, cache: unknown) => {
    mkdirSync(accountHome(paths, id), { recursive: true });
    writeFileSync(join(accountHome(paths, id), 'models_cache.json'), JSON.stringify(cache));
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ccb-complete-'));
    paths = resolvePaths({ CCBRIDGE_HOME: dir });
    writeState({
      schemaVersion: 1,
      accounts: [
        { id: 'aaaa1111', name: 'work', enabled: true, model: 'gpt-5.4', futureField: 1 },
        { id: 'bbbb2222', name: 'Personal', enabled: false, model: null },
      ],
      activeAccountId: 'aaaa1111',
      defaultAccountId: 'bbbb2222',
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('offers account names with their markers', () => {
    expect(stateCompletionSource(paths).accounts()).toEqual([
      { value: 'work', description: 'active · gpt-5.4' },
      { value: 'Personal', description: 'default, disabled' },
    ]);
  });

  it('offers nothing, without throwing, when the state is missing or not JSON', () => {
    rmSync(paths.stateFile);
    expect(stateCompletionSource(paths).accounts()).toEqual([]);
    writeState('{not json');
    expect(stateCompletionSource(paths).accounts()).toEqual([]);
  });

  it("uses the account's codex model cache (visible models, codex's order), matched by name or id", () => {
    writeModelsCache('aaaa1111', {
      fetched_at: '2026-01-01T00:00:00Z',
      models: [
        { slug: 'gpt-5.4', display_name: 'GPT-5.4', visibility: 'list', priority: 2 },
        { slug: 'codex-auto-review', visibility: 'hide', priority: 0 },
        { slug: 'gpt-5.6-sol', display_name: 'GPT-5.6-Sol', visibility: 'list', priority: 1 },
      ],
    });
    const source = stateCompletionSource(paths);
    const expected = [
      { value: 'gpt-5.6-sol', description: 'GPT-5.6-Sol' },
      { value: 'gpt-5.4', description: 'GPT-5.4 · preferred' },
    ];
    expect(source.models('WORK')).toEqual(expected);
    expect(source.models('aaaa1111')).toEqual(expected);
    expect(source.models(null)).toEqual(expected); // the active account
  });

  it('falls back to the built-in catalog without a cache or a known account', () => {
    const builtin = BUILTIN_MODELS.filter((m) => !m.hidden).map((m) => m.id);
    const source = stateCompletionSource(paths);
    expect(source.models('personal').map((c) => c.value)).toEqual(builtin);
    expect(source.models('nobody').map((c) => c.value)).toEqual(builtin);
    expect(builtin.length).toBeGreaterThan(2);
  });
});
