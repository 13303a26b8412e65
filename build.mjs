// Bundles the CLI + daemon with esbuild. The entry dist/ccbridge.mjs holds only what every command
// needs (commander, the socket client); the daemon, the TUI (Ink/React), zod-heavy code and the
// tokenizer data are split into dist/chunks/ and loaded by dynamic import when a command needs them,
// so `ccbridge --version` or `ccbridge list` never parse them.
import { build } from 'esbuild';
import { bundleOptions } from './esbuild.config.mjs';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
// Build next to dist/ and swap it in, so a running ccbridge never sees a half-written tree
// and stale hashed chunks do not pile up.
const out = `dist.tmp-${process.pid}`;
const entry = `${out}/ccbridge.mjs`;

await build({
  ...bundleOptions,
  outdir: out,
  sourcemap: true,
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
writeFileSync(entry, '#!/usr/bin/env node\n' + readFileSync(entry, 'utf8'));
chmodSync(entry, 0o755);
const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(out, 'dist');
rmSync(old, { recursive: true, force: true });

// man/ccbridge.1 from its markdown source (marked-man, a dev dependency); `npm pack` ships the result.
// `marked` is marked-man's own dependency: the same module instance marked-man patches.
const { default: markedMan } = await import('marked-man');
const { marked } = await import('marked');
const manSource = 'man/ccbridge.1.md';
markedMan.manVersion = pkg.version;
markedMan.manual = 'ccbridge manual';
markedMan.date = process.env.SOURCE_DATE_EPOCH
  ? Number(process.env.SOURCE_DATE_EPOCH) * 1000
  : statSync(manSource).mtimeMs;
marked.use(markedMan);
// marked HTML-escapes code spans (`eval "$(ccbridge env)"` came out as &quot;); roff wants the characters.
const entities = { '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };
const roff = marked.parse(readFileSync(manSource, 'utf8')).replace(/&(?:quot|#39|lt|gt|amp);/g, (e) => entities[e]);
writeFileSync(`man/ccbridge.1.tmp-${process.pid}`, roff);
renameSync(`man/ccbridge.1.tmp-${process.pid}`, 'man/ccbridge.1');
