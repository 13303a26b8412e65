// What the in-process bridge benchmarks share: the bridge app and the fake Codex backend compiled from the
// TypeScript sources (no build step needed), and the bridge app of one account in front of that backend.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TOKEN = 'bench-token-0123456789abcdef0123456789abcdef';

/** A repository path as a module specifier for `compileBridge`'s exports. */
export const src = (p) => JSON.stringify(join(root, p));

/**
 * Compiles the bridge app, the fake backend (`startFakeCodexBackend`, `sse`, `frame`), the built-in model list and
 * the Node server adaptor, plus `moreExports` (lines `export { … } from <repo path>`, see `src`), into `outdir`;
 * resolves with the module.
 */
export async function compileBridge(outdir, moreExports = [], options = {}) {
  const { build } = await import('esbuild');
  const entry = join(outdir, 'entry.ts');
  writeFileSync(
    entry,
    [
      `export { createBridgeApp } from ${src('src/daemon/bridge/createBridgeApp.ts')};`,
      `export { startFakeCodexBackend, sse, frame } from ${src('test/fakes/codexBackend.ts')};`,
      `export { BUILTIN_MODELS } from ${src('src/translate/codexModels.ts')};`,
      `export { createAdaptorServer } from '@hono/node-server';`,
      ...moreExports,
    ].join('\n'),
  );
  const { benchOptions } = await import('../esbuild.config.mjs');
  await build(benchOptions({ bundle: entry }, outdir, options));
  return import(pathToFileURL(join(outdir, 'bundle.mjs')).href);
}

/**
 * The bridge app as the daemon sets it up for one account (`work`) in front of the fake backend at `upstreamUrl`:
 * codex 0.169's identity, the account's model list from `models`, `settings` over the defaults.
 */
export function benchBridgeApp(m, upstreamUrl, { models = () => null, settings = {} } = {}) {
  return m.createBridgeApp(
    {
      version: '0.1.0-bench',
      token: () => TOKEN,
      upstreamUrl,
      codexVersion: () => '0.169.0',
      installationId: () => 'd318b0ab-7ffb-4aad-ae6e-91986d4207f4',
      health: () => ({}),
      route: () => ({
        kind: 'route',
        candidates: [{ accountId: 'acct1', accountName: 'work', model: null, fastMode: false }],
      }),
      credentials: async () => ({ accessToken: 'bench-access', chatgptAccountId: 'acct-bench' }),
      models,
      settings: () => ({ opusModel: null, sonnetModel: null, haikuModel: null, corsOrigin: null, ...settings }),
      onUpstreamHeaders: () => {},
      onOutcome: () => {},
    },
    { hostInfo: { osType: 'Debian', osVersion: '12.0.0', arch: 'x86_64', terminal: 'xterm' } },
  );
}
