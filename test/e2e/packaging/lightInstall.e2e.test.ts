import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli.js';
import { peerBin, TEST_PEERS } from '../../peers/testPeers.mjs';

// `npm install` / `npm ci` fetch nothing of codex or Claude Code (816 MB that only the tests use); the tests get
// the pinned versions as test peers.
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
const HEAVY = ['@openai/codex', '@anthropic-ai/claude-code'];

describe('a light install', () => {
  it('neither package.json nor the lock file makes npm fetch codex or Claude Code', () => {
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'])
      for (const name of HEAVY) expect(pkg[field]?.[name], `${name} in ${field}`).toBeUndefined();
    const locked = Object.keys(lock.packages).filter((p) => HEAVY.some((name) => p.includes(`node_modules/${name}`)));
    expect(locked).toEqual([]);
  });

  it('the tests run the pinned versions', () => {
    expect(TEST_PEERS).toEqual({ '@openai/codex': '0.169.0', '@anthropic-ai/claude-code': '2.1.332' });
    expect(execFileSync(peerBin('codex'), ['--version'], { encoding: 'utf8' })).toContain('codex-cli 0.169.0');
    expect(execFileSync(peerBin('claude'), ['--version'], { encoding: 'utf8' })).toContain('2.1.332');
  });
});
