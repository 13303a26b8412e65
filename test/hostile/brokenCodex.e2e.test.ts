import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePaths } from '../../src/shared/paths.js';
import { FAKE_CODEX, setBehaviour } from '../helpers/codexTestKit.js';
import { until } from '../helpers/until.js';
import { makeHome, okJson, run, type TestHome } from '../helpers/cli.js';

// A broken codex whose error text is hostile: terminal escapes, a forged log line, a token-shaped secret. What
// the user sees (`ccbridge connect`'s one stderr line) and what the daemon logs must carry none of it raw.

const SECRET = 'sk-fakeSecretKey0123456789abcdefghij';
const HOSTILE = `denied\u001b]0;pwned\u0007\u001b[2J\n2099-01-01T00:00:00.000Z info  system      FORGED ${SECRET}`;

let h: TestHome;
beforeAll(async () => {
  h = await makeHome({ CCBRIDGE_CODEX_BIN: FAKE_CODEX });
});
afterAll(async () => {
  await h.cleanup();
});

describe('a broken codex with hostile error text', () => {
  it('a failed login is one escaped, redacted line for the user and in daemon.log', async () => {
    const { id } = (await okJson(h, ['add', 'evil'])) as { id: string };
    setBehaviour(join(h.env.CCBRIDGE_HOME!, 'accounts', id, 'codex-home'), { login: 'fail', loginError: HOSTILE });
    const r = await run(h, ['connect', 'evil', '--no-browser']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ccbridge: login for evil failed: denied/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.stderr).not.toContain(SECRET);
    const logFile = resolvePaths(h.env).logFile;
    await until(() => readFileSync(logFile, 'utf8').includes('FORGED'), 5000);
    const log = readFileSync(logFile, 'utf8');
    expect(log).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(log.split('\n').filter((l) => l.startsWith('2099-'))).toEqual([]);
    expect(log).not.toContain(SECRET);
  });
});
