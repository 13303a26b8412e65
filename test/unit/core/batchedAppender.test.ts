import { appendFileSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchedAppender } from '../../../src/core/batchedAppender.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'ccb-ba-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('BatchedAppender', () => {
  it('creates the file 0600 and ends a torn last line before appending', () => {
    const file = join(tmp(), 'x.log');
    appendFileSync(file, 'whole\ntorn', { mode: 0o600 });
    const out = new BatchedAppender(file, { maxBytes: 1 << 20 });
    out.append('next\n');
    out.close();
    expect(readFileSync(file, 'utf8')).toBe('whole\ntorn\nnext\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('rotates by rename: the old lines move to .1 and the file stays under the bound', () => {
    const file = join(tmp(), 'x.log');
    const out = new BatchedAppender(file, { maxBytes: 100 });
    for (let i = 0; i < 10; i++) {
      out.append(`line ${i} ${'x'.repeat(20)}\n`);
      out.flush();
    }
    out.close();
    expect(statSync(file).size).toBeLessThanOrEqual(100);
    expect(readFileSync(`${file}.1`, 'utf8')).toMatch(/^line \d/);
    expect(readFileSync(file, 'utf8').trim().split('\n').at(-1)).toMatch(/^line 9 /);
  });

  it('rotates by copy-and-truncate, so another descriptor on the file keeps writing into it', () => {
    const file = join(tmp(), 'daemon.log');
    const stderrLike = openSync(file, 'a', 0o600); // what the daemon's stderr is
    const out = new BatchedAppender(file, { maxBytes: 200, rotate: 'copy-truncate' });
    for (let i = 0; i < 20; i++) {
      out.append(`event ${i} ${'y'.repeat(20)}\n`);
      out.flush();
    }
    writeSync(stderrLike, 'crash output\n');
    closeSync(stderrLike);
    out.close();
    const now = readFileSync(file, 'utf8');
    expect(statSync(file).size).toBeLessThanOrEqual(200 + 'crash output\n'.length);
    expect(now).toMatch(/event 19 .*\ncrash output\n$/);
    expect(readFileSync(`${file}.1`, 'utf8')).toMatch(/^event \d+ /);
  });
});
