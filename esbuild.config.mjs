// The one esbuild configuration: the ccbridge bundle as build.mjs makes it (the startup-graph tests check the same
// graph), and the compile of TypeScript sources the benches run without a build step.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** Bundled CommonJS dependencies call require() for Node builtins; ESM output has none of its own. */
const requireBanner = {
  js: "import { createRequire as __ccbCreateRequire } from 'node:module';\nconst require = __ccbCreateRequire(import.meta.url);",
};

/** Resolves `filter` (imported from a path matching `importer`) to a module with `contents`. */
function stub(name, filter, importer, contents) {
  return {
    name,
    setup(b) {
      b.onResolve({ filter }, (args) =>
        importer.test(args.importer) ? { path: args.path, namespace: `stub-${name}` } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: `stub-${name}` }, () => ({ contents, loader: 'js' }));
    },
  };
}

// Each plugin replaces a module the bundle would otherwise carry, and load at run time, for nothing.
export const bundlePlugins = [
  // Ink imports react-devtools-core only when DEV is set; a no-op stub keeps it out of the bundle.
  stub('devtools', /^react-devtools-core$/, /./, 'export default { initialize() {}, connectToDevTools() {} };'),
  // @hono/node-server names node:http2 only to recognise HTTP/2 requests, which the daemon never serves; loading
  // node:http2 costs every daemon memory.
  stub(
    'http2',
    /^node:http2$/,
    /@hono[\\/]node-server/,
    'export class Http2ServerRequest {}\nexport const constants = { NGHTTP2_NO_ERROR: 0 };',
  ),
  // conf validates with ajv only when given a JSON schema; ccbridge validates its state with zod and passes none.
  stub(
    'ajv',
    /^ajv\/dist\/2020\.js$|^ajv-formats$/,
    /[\\/]conf[\\/]/,
    "export class Ajv2020 { constructor() { throw new Error('conf schema validation is not bundled (ccbridge validates with zod)'); } }\nexport default { default() {} };",
  ),
];

/**
 * The CLI + daemon bundle: `src/cli/main.ts` as the entry, everything else split into chunks loaded on demand.
 * Callers add where it goes (`outdir`) and how (`minify`, `sourcemap`, `write`, `metafile`).
 */
export const bundleOptions = {
  absWorkingDir: root,
  // The daemon's large-request worker (offloadRequest.ts) loads dist/requestWorker.mjs, sharing the chunks.
  entryPoints: { ccbridge: 'src/cli/main.ts', requestWorker: 'src/daemon/bridge/requestWorker.ts' },
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  define: {
    __CCBRIDGE_VERSION__: JSON.stringify(pkg.version),
    'process.env.NODE_ENV': '"production"',
  },
  banner: requireBanner,
  plugins: bundlePlugins,
};

/** TypeScript sources (a fake backend, the bridge) compiled into ESM in `outdir` for a bench to import or fork. */
export function benchOptions(entryPoints, outdir, extra = {}) {
  return {
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    nodePaths: [`${root}node_modules`],
    logLevel: 'error',
    banner: requireBanner,
    ...extra,
  };
}
