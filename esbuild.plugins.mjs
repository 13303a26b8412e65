// esbuild plugins of the ccbridge bundle, shared by build.mjs and the tests that check the bundle's module graph.
// Each replaces a module the bundle would otherwise carry, and load at run time, for nothing.

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
