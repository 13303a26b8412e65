import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readBundledModels } from '../../../src/codex/bundledModels.js';
import { codexEnv } from '../../../src/codex/codexEnv.js';
import { ModelCatalog, type ModelCatalogOptions } from '../../../src/codex/modelCatalog.js';
import type { CodexModel } from '../../../src/shared/schemas/codexModel.js';
import { FAKE_CODEX, REAL_CODEX } from '../../helpers/codexTestKit.js';
import { until } from '../../helpers/until.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'ccb-mc-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const model = (id: string): CodexModel => ({ id, model: id, displayName: id, hidden: false });
const never = () => new Promise<never>(() => {});

function catalog(over: Partial<ModelCatalogOptions> & { dir?: string } = {}) {
  const dir = over.dir ?? tmp();
  const errors: string[] = [];
  let now = 1_000_000;
  const c = new ModelCatalog({
    cacheFile: join(dir, 'codex-models.json'),
    list: async () => [model('listed')],
    bundled: async () => ({
      codex: { path: '/bin/codex', version: '0.169.0' },
      models: async () => [model('bundled')],
    }),
    refreshDelayMs: 0,
    onError: (m) => errors.push(m),
    now: () => now,
    ...over,
  });
  return { c, errors, dir, advance: (ms: number) => (now += ms) };
}

describe('ModelCatalog', () => {
  it('answers at once while codex hangs: the bundled catalogue, then the account list once read', async () => {
    let answer: ((m: CodexModel[]) => void) | null = null;
    const { c } = catalog({ list: () => new Promise((r) => (answer = r)) });
    expect(c.available('a')).toBeNull(); // nothing at hand yet: the bridge's built-in catalogue
    await c.refreshBundled();
    expect(c.available('a')?.map((m) => m.id)).toEqual(['bundled']);
    await until(() => answer !== null);
    answer!([model('listed')]);
    await until(() => c.available('a')?.[0]?.id === 'listed');
  });

  it('keeps the bundled catalogue on disk for the next run, and reads it again only for another codex', async () => {
    let reads = 0;
    const bundled = async () => ({
      codex: { path: '/bin/codex', version: '0.169.0' },
      models: async () => {
        reads++;
        return [model('bundled')];
      },
    });
    const first = catalog({ bundled, list: never });
    await first.c.refreshBundled();
    expect(existsSync(join(first.dir, 'codex-models.json'))).toBe(true);
    const second = catalog({ dir: first.dir, bundled, list: never });
    expect(second.c.available('a')?.map((m) => m.id)).toEqual(['bundled']); // before codex answers anything
    await second.c.refreshBundled();
    expect(reads).toBe(1);
    const upgraded = catalog({
      dir: first.dir,
      list: never,
      bundled: async () => ({
        codex: { path: '/bin/codex', version: '0.170.0' },
        models: async () => [model('newer')],
      }),
    });
    await upgraded.c.refreshBundled();
    expect(upgraded.c.available('a')?.map((m) => m.id)).toEqual(['newer']);
    expect(JSON.parse(readFileSync(join(first.dir, 'codex-models.json'), 'utf8')).codex.version).toBe('0.170.0');
  });

  it('remembers a failed read: one attempt per retry window, not one per request', async () => {
    let attempts = 0;
    const { c, errors, advance } = catalog({
      list: async () => {
        attempts++;
        throw new Error('codex app-server did not answer model/list within 10s');
      },
      retryMs: 60_000,
    });
    await expect(c.list('a')).rejects.toThrow(/did not answer/);
    for (let i = 0; i < 20; i++) expect(c.available('a')).toBeNull();
    await expect(c.list('a')).rejects.toThrow(/did not answer/);
    await new Promise((r) => setTimeout(r, 20));
    expect(attempts).toBe(1);
    expect(errors).toEqual([]);
    advance(60_000);
    c.available('a');
    await until(() => attempts === 2);
    await until(() => errors.length === 1);
  });

  it('keeps serving a list it has while a later read fails', async () => {
    let fail = false;
    const { c, advance } = catalog({
      list: async () => {
        if (fail) throw new Error('broken');
        return [model('listed')];
      },
    });
    await c.list('a');
    fail = true;
    advance(10 * 60_000);
    expect(c.available('a')?.[0]?.id).toBe('listed');
    await new Promise((r) => setTimeout(r, 20));
    expect(c.available('a')?.[0]?.id).toBe('listed');
  });
});

describe('codex debug models --bundled', () => {
  it("maps the real codex's bundled catalogue onto model/list entries, codex's default marked", async () => {
    const models = await readBundledModels(REAL_CODEX, codexEnv(tmp(), process.env), 20_000);
    expect(models.length).toBeGreaterThan(3);
    const defaults = models.filter((m) => m.isDefault);
    expect(defaults).toHaveLength(1);
    expect(defaults[0]!.hidden).toBe(false);
    for (const m of models) {
      expect(m.contextWindow).toBeGreaterThan(100_000);
      expect(m.supportedReasoningEfforts?.length).toBeGreaterThan(0);
    }
    expect(models.some((m) => m.hidden)).toBe(true);
    // Which models get codex's responses-lite request shape: gpt-6.x yes, gpt-5.5 no (0.169's catalogue).
    expect(models.find((m) => m.id === 'gpt-5.5')?.useResponsesLite).toBe(false);
    expect(models.find((m) => m.isDefault)?.useResponsesLite).toBe(true);
  });

  it("an account's model/list gets the catalogue's use_responses_lite by slug", async () => {
    const lite = { ...model('gpt-6.1-sol'), useResponsesLite: true };
    const { c } = catalog({
      list: async () => [model('gpt-6.1-sol'), model('gpt-5.5')],
      bundled: async () => ({
        codex: { path: '/bin/codex', version: '0.169.0' },
        models: async () => [lite, { ...model('gpt-5.5'), useResponsesLite: false }],
      }),
    });
    await c.refreshBundled();
    const listed = await c.list('a');
    expect(listed.map((m) => [m.id, m.useResponsesLite])).toEqual([
      ['gpt-6.1-sol', true],
      ['gpt-5.5', false],
    ]);
    expect(c.available('a')).toEqual(listed);
  });

  it('gives up on a codex that hangs, within the bound', async () => {
    const home = tmp();
    const t0 = Date.now();
    await expect(
      readBundledModels(
        FAKE_CODEX,
        codexEnv(home, { ...process.env, FAKE_CODEX_BEHAVIOR: '{"debugModels":"hang"}' }),
        300,
      ),
    ).rejects.toThrow(/debug models --bundled/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
