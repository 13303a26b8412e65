import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/**
 * Every command pays for what the entry chunk imports statically. Heavy libraries must sit behind
 * a dynamic import so `ccbridge --version`, `list` or `__complete` stay close to bare node startup.
 */
const HEAVY = ['zod', 'hono', '@hono', 'conf', 'ajv', 'execa', 'ink', 'react', 'gpt-tokenizer', 'eventsource-parser'];

describe('startup graph', () => {
  it('keeps heavy dependencies out of the statically loaded entry', async () => {
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: { ccbridge: 'src/cli/main.ts' },
      outdir: 'out',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      jsx: 'automatic',
      // Ink (behind the tui command's dynamic import) names react-devtools-core, which build.mjs stubs.
      external: ['react-devtools-core'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const outputs = result.metafile.outputs;
    const entryKey = Object.keys(outputs).find((k) => outputs[k]!.entryPoint === 'src/cli/main.ts')!;
    const seen = new Set<string>();
    const walk = (key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      for (const imp of outputs[key]!.imports) if (imp.kind === 'import-statement' && outputs[imp.path]) walk(imp.path);
    };
    walk(entryKey);
    const eagerInputs = [...seen].flatMap((k) => Object.keys(outputs[k]!.inputs));
    const heavy = eagerInputs.filter((input) => HEAVY.some((pkg) => input.includes(`node_modules/${pkg}/`)));
    expect(heavy).toEqual([]);
  });
});
