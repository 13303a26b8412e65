import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/buildProgram.js';
import { examplesHelp } from '../../../src/cli/examples.js';
import { REAL_CODEX } from '../../helpers/codexTestKit.js';
import { makeHome, ok, okJson, run, type TestHome } from '../../helpers/cli.js';

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

  it('`list`, `status` and `--help` fit 80 columns; --json keeps everything', async () => {
    await ok(h, ['add', 'an-account-with-a-rather-long-name']);
    const list = await ok(h, ['list']);
    const status = await ok(h, ['status']);
    const help = await ok(h, ['--help']);
    for (const text of [list, status, help])
      for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(list).toContain('an-account-with-a-rather-long-name');
    const json = await okJson(h, ['list']);
    expect(json.accounts.every((a: { id: string }) => typeof a.id === 'string' && a.id.length > 0)).toBe(true);
  });

  it('`version`, `login` as connect, examples in every --help, errors prefixed or JSON', async () => {
    expect((await ok(h, ['version'])).trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(await ok(h, ['login', '--help'])).toMatch(/^Usage: ccbridge connect\|login/);
    // Every command has examples (checked on the registered program); the binary prints them with the help.
    const program = await buildProgram();
    const visible = program.commands.filter((c) => !(c as unknown as { _hidden: boolean })._hidden);
    expect(visible.length).toBeGreaterThan(25);
    expect(visible.filter((c) => !examplesHelp(c.name())).map((c) => c.name())).toEqual([]);
    expect(await ok(h, ['help', 'apply-claude'])).toMatch(/\nExamples:\n {2}ccbridge apply-claude --dry-run +# /);

    const typo = await run(h, ['lst']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("ccbridge: unknown command 'lst' (Did you mean one of list, ls?)\n");
    const bad = await run(h, ['use', 'nobody', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stderr)).toEqual({
      error: { code: 'account_not_found', message: expect.stringMatching(/nobody/) },
    });
    const usage = await run(h, ['list', '--bogus', '--json']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stderr)).toEqual({ error: { code: 'usage', message: "unknown option '--bogus'" } });
  });
});
