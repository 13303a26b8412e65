import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTokens } from '../../fakes/fakeCodexAuth.mjs';
import { makeHome, ok, okJson, run, ROOT, signIn, type TestHome } from '../../helpers/cli.js';

let h: TestHome;
beforeAll(async () => {
  h = await makeHome({ CCBRIDGE_CODEX_BIN: resolve(ROOT, 'test/fakes/fakeCodex.mjs') });
  // `models` acts through the account, so a signed-out one answers exit 3: both are signed in.
  for (const args of [
    ['add', 'work', '--model', 'gpt-5.4'],
    ['add', 'spare'],
  ]) {
    const { id, name } = (await okJson(h, args)) as { id: string; name: string };
    await signIn(h, id, makeTokens({ chatgptAccountId: `acct-${name}` }));
  }
});
afterAll(() => h.cleanup());

describe('ccbridge models', () => {
  it("lists the route account's codex models, marking the preferred one", async () => {
    const out = await ok(h, ['models']);
    expect(out.split('\n')[0]).toBe('work');
    expect(out).toMatch(/^\*\s+gpt-5\.4\s/m);
    expect(out).toMatch(/gpt-5\.5 .* yes$/m);
  });

  it('takes an account and prints JSON', async () => {
    const data = await okJson(h, ['models', 'spare']);
    expect(data.account).toBe('spare');
    expect(data.preferred).toBeNull();
    expect(data.models.map((m: { id: string }) => m.id)).toContain('gpt-5.5');
  });

  it('rejects an unknown account', async () => {
    const r = await run(h, ['models', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no account "nope"/);
  });
});
