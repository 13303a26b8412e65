// The real `codex` and `claude` the tests and benches run. They are not dependencies of ccbridge (users never
// download their ~800 MB): the pinned versions in package.json's "testPeers" are installed on first use into a
// cache directory, `npm install --prefix <cache>`, which needs only the npm registry.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const BINS = { '@openai/codex': 'codex', '@anthropic-ai/claude-code': 'claude' };

/** package name → pinned version, from package.json (the one place to bump them). */
export const TEST_PEERS = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).testPeers;

/** Where first use installs them; TEST_PEERS_DIR moves it (e.g. to a CI cache). */
export const PEERS_DIR = process.env.TEST_PEERS_DIR || join(ROOT, '.test-peers');

const installedVersion = (prefix, pkg) => {
  try {
    return JSON.parse(readFileSync(join(prefix, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
};

/**
 * The prefix that holds every pinned peer: the cache, or a checkout's own node_modules that already has exactly
 * these versions (an install from before they left devDependencies). Null when neither does.
 */
export function peersPrefix() {
  const pinned = Object.entries(TEST_PEERS);
  return (
    [PEERS_DIR, ROOT].find((prefix) =>
      pinned.every(([pkg, version]) => installedVersion(prefix, pkg) === version && existsSync(binIn(prefix, pkg))),
    ) ?? null
  );
}

const binIn = (prefix, pkg) => join(prefix, 'node_modules', '.bin', BINS[pkg]);

/** Installs the pinned peers into the cache unless they are there already. Returns the prefix to use. */
export function ensureTestPeers() {
  const found = peersPrefix();
  if (found) return found;
  const specs = Object.entries(TEST_PEERS).map(([pkg, version]) => `${pkg}@${version}`);
  // The cache is its own npm project; npm 11 runs a dependency's install script only when its package.json allows
  // it, and Claude Code's copies its native binary into place.
  mkdirSync(PEERS_DIR, { recursive: true });
  writeFileSync(
    join(PEERS_DIR, 'package.json'),
    `${JSON.stringify({ private: true, allowScripts: { '@anthropic-ai/claude-code': true } }, null, 2)}\n`,
  );
  process.stderr.write(`test peers: installing ${specs.join(' ')} into ${PEERS_DIR} (first run only)\n`);
  execFileSync(
    'npm',
    ['install', '--prefix', PEERS_DIR, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', ...specs],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const prefix = peersPrefix();
  if (!prefix) throw new Error(`test peers: ${specs.join(' ')} not usable in ${PEERS_DIR} after npm install`);
  return prefix;
}

/** Absolute path of a peer's executable (`codex` or `claude`), installing the peers first if needed. */
export function peerBin(name) {
  const pkg = Object.keys(BINS).find((p) => BINS[p] === name);
  if (!pkg) throw new Error(`unknown test peer ${name}`);
  return binIn(ensureTestPeers(), pkg);
}
