import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLog } from '../../../src/core/eventLog.js';
import { redactData, redactText } from '../../../src/core/redact.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'ccb-ev-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const JWT = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQ';

describe('EventLog', () => {
  it('appends JSONL with increasing ids, 0600, and reloads its tail after restart', () => {
    const file = join(tmp(), 'events.jsonl');
    const log = new EventLog(file);
    log.append({ level: 'info', category: 'system', message: 'one' });
    log.append({ level: 'warn', category: 'account', message: 'two', accountId: 'abcd1234', data: { n: 1 } });
    log.flush();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.id, l.message])).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
    const again = new EventLog(file);
    expect(again.recent(10).map((e) => e.message)).toEqual(['one', 'two']);
    expect(again.append({ level: 'info', category: 'system', message: 'three' }).id).toBe(3);
  });

  it('rotates when the size bound is passed', () => {
    const file = join(tmp(), 'events.jsonl');
    const log = new EventLog(file, { maxBytes: 1000 });
    for (let i = 0; i < 30; i++) {
      log.append({ level: 'info', category: 'proxy', message: `request ${i} ${'x'.repeat(40)}` });
      log.flush();
    }
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(statSync(file).size).toBeLessThanOrEqual(1000);
    expect(log.recent(5).at(-1)!.message).toMatch(/^request 29/);
  });

  it('never writes tokens, even when a caller passes one', () => {
    const file = join(tmp(), 'events.jsonl');
    const log = new EventLog(file);
    const seen: string[] = [];
    log.subscribe((e) => seen.push(JSON.stringify(e)));
    log.append({
      level: 'error',
      category: 'oauth',
      message: `refresh failed for ${JWT} with Bearer abcdefghijklmnopqrstuvwxyz0123`,
      data: { access_token: 'plain-secret-value', nested: { note: `sk-proj-${'a'.repeat(30)}` }, inputTokens: 12 },
    });
    log.flush();
    const text = readFileSync(file, 'utf8') + seen.join('');
    expect(text).not.toContain(JWT);
    expect(text).not.toContain('abcdefghijklmnopqrstuvwxyz0123');
    expect(text).not.toContain('plain-secret-value');
    expect(text).not.toContain('sk-proj-aaaa');
    expect(text).toContain('"inputTokens":12');
  });
});

describe('EventLog after a crash', () => {
  it('recovers a torn last line: the next event is its own line and survives a reload', () => {
    const file = join(tmp(), 'events.jsonl');
    const log = new EventLog(file);
    log.append({ level: 'info', category: 'system', message: 'before the crash' });
    log.close();
    appendFileSync(file, '{"id":2,"time":"2026-01-01T00:00:00.000Z","lev'); // killed mid-write
    const again = new EventLog(file);
    expect(again.append({ level: 'info', category: 'system', message: 'after the crash' }).id).toBe(2);
    again.close();
    expect(new EventLog(file).recent(10).map((e) => [e.id, e.message])).toEqual([
      [1, 'before the crash'],
      [2, 'after the crash'],
    ]);
  });

  it('writes a burst in one batch on the next turn, and every queued line on close', async () => {
    const file = join(tmp(), 'events.jsonl');
    const log = new EventLog(file);
    for (let i = 0; i < 50; i++) log.append({ level: 'info', category: 'proxy', message: `r${i}` });
    expect(readFileSync(file, 'utf8')).toBe(''); // nothing written on the caller's path
    await new Promise((r) => setImmediate(r));
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(50);
    log.append({ level: 'info', category: 'system', message: 'last words' });
    log.close();
    expect(readFileSync(file, 'utf8')).toContain('last words');
  });
});

describe('redaction', () => {
  it('keeps ordinary text and numbers', () => {
    expect(redactText('account work added')).toBe('account work added');
    expect(redactData({ outputTokens: 5, token: 'x' })).toEqual({ outputTokens: 5, token: '[redacted]' });
  });

  it('redacts every secret shape, whatever surrounds it', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl';
    expect(redactText(`got ${jwt} back`)).toBe('got [redacted] back');
    expect(redactText('key sk-abcdefghijklmnop1234 used')).toBe('key [redacted] used');
    expect(redactText('BEARER abcdefghijklmnop1234')).toBe('BEARER [redacted]');
    expect(redactText('x rt_abcdefghijklmnop1234 y at_abcdefghijklmnop1234')).toBe('x rt[redacted] y at[redacted]');
    expect(redactText('chat_completion sk-short')).toBe('chat_completion sk-short');
  });
});
