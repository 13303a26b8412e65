// Bundles the whole CLI + daemon into one ESM file. Ink/React stay behind a dynamic import
// (esbuild splits nothing, but the TUI module is only evaluated when `tui` runs).
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/ccbridge.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  minifySyntax: true,
  legalComments: 'none',
  jsx: 'automatic',
  define: {
    __CCBRIDGE_VERSION__: JSON.stringify(pkg.version),
    'process.env.NODE_ENV': '"production"',
  },
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __ccbCreateRequire } from 'node:module';",
      'const require = __ccbCreateRequire(import.meta.url);',
    ].join('\n'),
  },
  plugins: [
    {
      // Ink imports react-devtools-core only when DEV is set; a no-op stub keeps it out of the bundle.
      name: 'stub-devtools',
      setup(b) {
        b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'devtools-stub', namespace: 'stub' }));
        b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
          contents: 'export default { initialize() {}, connectToDevTools() {} };',
          loader: 'js',
        }));
      },
    },
  ],
  logLevel: 'warning',
});
chmodSync('dist/ccbridge.mjs', 0o755);
