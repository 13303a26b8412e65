import { delimiter, join } from 'node:path';
import { ensureTestPeers } from './testPeers.mjs';

/**
 * Once per run, before any worker: the pinned codex and Claude Code are installed (first run) and put on PATH,
 * where `npm test` found them when they were dev dependencies.
 */
export default function setup(): void {
  const prefix = ensureTestPeers();
  process.env.PATH = `${join(prefix, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`;
}
