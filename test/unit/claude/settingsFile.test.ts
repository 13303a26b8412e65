import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSettingsFile, writeSettingsFile } from '../../../src/claude/settingsFile.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccb-sf-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeSettingsFile', () => {
  it('refuses when the file changed after it was read, keeping the newer content', () => {
    const path = join(dir, 'settings.json');
    writeFileSync(path, '{"a":1}');
    const snapshot = readSettingsFile(path);
    writeFileSync(path, '{"a":2}');
    expect(() => writeSettingsFile(snapshot, '{"a":3}\n')).toThrow(/changed while ccbridge was updating it/);
    expect(readFileSync(path, 'utf8')).toBe('{"a":2}');
  });

  it('reports a missing file as null text and mode', () => {
    expect(readSettingsFile(join(dir, 'nope.json'))).toEqual({
      realPath: join(dir, 'nope.json'),
      text: null,
      mode: null,
    });
  });
});
