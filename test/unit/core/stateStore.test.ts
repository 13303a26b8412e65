import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../../src/core/stateStore.js';
import { migrateState } from '../../../src/core/migrateState.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'ccb-state-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('StateStore', () => {
  it('creates a valid 0600 file with defaults and persists updates', () => {
    const file = join(tmp(), 'state.json');
    const store = StateStore.open(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    store.update((s) => {
      s.settings.routing = 'manual';
    });
    const reopened = StateStore.open(file);
    expect(reopened.get().settings.routing).toBe('manual');
    expect(reopened.get().schemaVersion).toBe(1);
  });

  it('rejects an update that breaks the schema and keeps the previous state', () => {
    const file = join(tmp(), 'state.json');
    const store = StateStore.open(file);
    const before = readFileSync(file, 'utf8');
    expect(() =>
      store.update((s) => {
        (s.settings as { routing: string }).routing = 'sideways';
      }),
    ).toThrow();
    expect(store.get().settings.routing).toBe('failover');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('never overwrites a corrupt or invalid file', () => {
    const file = join(tmp(), 'state.json');
    for (const content of ['{not json', JSON.stringify({ schemaVersion: 1, settings: { routing: 42 } }), '[]']) {
      writeFileSync(file, content);
      expect(() => StateStore.open(file)).toThrow(/invalid.*--reset-state/);
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
  });

  it('refuses a file from a newer ccbridge', () => {
    const file = join(tmp(), 'state.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 99 }));
    expect(() => StateStore.open(file)).toThrow(/newer than this ccbridge/);
  });
});

describe('migrateState', () => {
  it('applies each step in order up to the target version', () => {
    const migrations = {
      1: (raw: Record<string, unknown>) => ({ ...raw, renamed: raw.old, old: undefined }),
      2: (raw: Record<string, unknown>) => ({ ...raw, added: true }),
    };
    expect(migrateState({ schemaVersion: 1, old: 'x' }, migrations, 3)).toEqual({
      schemaVersion: 3,
      renamed: 'x',
      old: undefined,
      added: true,
    });
  });

  it('fails clearly when a step is missing', () => {
    expect(() => migrateState({ schemaVersion: 1 }, {}, 2)).toThrow(/no migration from state schema version 1/);
  });
});
