import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_CODEX } from '../codex/codexTestKit.js';
import { makeHome, ok, okJson, type TestHome } from '../helpers/cli.js';

// What a new user meets in the first hour, on the built binary.

let h: TestHome;
beforeAll(async () => {
  h = await makeHome({ CCBRIDGE_CODEX_BIN: REAL_CODEX });
});
afterAll(() => h.cleanup());

describe('first hour', () => {
  it('`health` right after start names the installed codex version, not the minimum', async () => {
    await ok(h, ['start']);
    const health = await okJson(h, ['health']);
    expect(health.codexVersion).toBe('0.169.0');
  });

  it('`list --json` is the account list; the whole state is under `status --json`', async () => {
    await ok(h, ['add', 'work']);
    const list = await okJson(h, ['list']);
    expect(Object.keys(list)).toEqual(['accounts']);
    expect(list.accounts.map((a: { name: string }) => a.name)).toEqual(['work']);
    const status = await okJson(h, ['status']);
    expect(status.state.accounts[0].name).toBe('work');
    expect(status.state.bridge.port).toBe(h.port);
  });
});
