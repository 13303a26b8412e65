import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bundleOptions } from '../../../esbuild.config.mjs';

/**
 * Every command pays for what the entry chunk imports statically. Heavy libraries must sit behind
 * a dynamic import so `ccbridge --version`, `list` or `__complete` stay close to bare node startup.
 */
const HEAVY = ['zod', 'hono', '@hono', 'conf', 'ajv', 'execa', 'ink', 'react', 'gpt-tokenizer', 'eventsource-parser'];

describe('startup graph', () => {
  it('keeps heavy dependencies out of the statically loaded entry', async () => {
    const result = await build({ ...bundleOptions, outdir: 'out', write: false, metafile: true, logLevel: 'silent' });
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

/** The bundle as build.mjs makes it, with its metafile (nothing written). */
async function bundleGraph(): Promise<Metafile['outputs']> {
  const result = await build({
    ...bundleOptions,
    outdir: 'out',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile.outputs;
}

/** Output chunks loaded by static imports from `roots`, and the Node builtins they import. */
function staticClosure(outputs: Metafile['outputs'], roots: string[]): { chunks: string[]; builtins: string[] } {
  const seen = new Set<string>();
  const builtins = new Set<string>();
  const walk = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imp of outputs[key]!.imports) {
      if (imp.kind !== 'import-statement') continue;
      if (outputs[imp.path]) walk(imp.path);
      else if (imp.external) builtins.add(imp.path.replace(/^node:/, ''));
    }
  };
  for (const r of roots) walk(r);
  return { chunks: [...seen], builtins: [...builtins] };
}

describe('daemon graph', () => {
  it('loads what the daemon runs: no CLI program, commander, TUI, tokenizer, ajv or node:http2', async () => {
    const outputs = await bundleGraph();
    const keys = Object.keys(outputs);
    const entry = keys.find((k) => outputs[k]!.entryPoint === 'src/cli/main.ts')!;
    const daemon = keys.find((k) => Object.keys(outputs[k]!.inputs).includes('src/daemon/runDaemon.ts'))!;
    // `start --foreground` is answered in main before the program loads: main's graph plus the daemon's.
    expect(outputs[entry]!.imports).toContainEqual(expect.objectContaining({ kind: 'dynamic-import', path: daemon }));
    const { chunks, builtins } = staticClosure(outputs, [entry, daemon]);
    const inputs = chunks.flatMap((k) => Object.entries(outputs[k]!.inputs));
    const names = inputs.map(([input]) => input);
    for (const pkg of ['commander', 'ink', 'react', 'gpt-tokenizer', 'ajv', 'ajv-formats', 'fast-uri'])
      expect(names.filter((n) => n.includes(`node_modules/${pkg}/`))).toEqual([]);
    expect(names.filter((n) => n.startsWith('src/cli/commands/') || n.startsWith('src/tui/'))).toEqual([]);
    expect(builtins).not.toContain('http2');
    // zod as a namespace import keeps only what the schemas use (the whole classic build is ~450 KB).
    const zodBytes = inputs
      .filter(([n]) => n.includes('node_modules/zod/'))
      .reduce((s, [, i]) => s + i.bytesInOutput, 0);
    expect(zodBytes).toBeLessThan(200_000);
  });
});

describe('statusline graph', () => {
  it('runs on main plus a small chunk: no commander, zod or other heavy dependency', async () => {
    const outputs = await bundleGraph();
    const keys = Object.keys(outputs);
    const entry = keys.find((k) => outputs[k]!.entryPoint === 'src/cli/main.ts')!;
    const line = keys.find((k) => outputs[k]!.entryPoint === 'src/claude/runStatusLine.ts')!;
    // Claude Code runs it every few seconds: main answers it before the program (and commander) loads.
    expect(outputs[entry]!.imports).toContainEqual(expect.objectContaining({ kind: 'dynamic-import', path: line }));
    const names = staticClosure(outputs, [entry, line]).chunks.flatMap((k) => Object.keys(outputs[k]!.inputs));
    expect(names.filter((n) => [...HEAVY, 'commander'].some((pkg) => n.includes(`node_modules/${pkg}/`)))).toEqual([]);
  });
});
