import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatExports } from '../../../src/claude/shellExports.js';

const hasFish = spawnSync('fish', ['--version']).status === 0;
const NASTY = {
  PLAIN: 'http://127.0.0.1:9000/anthropic',
  QUOTES: `it's "x" \\ $HOME \`id\` $(id)`,
  LINES: 'a: 1\nb: 2',
};

describe('formatExports', () => {
  it('sh lines evaluate to exactly the values', () => {
    const script = `eval "$(cat)"; node -e 'process.stdout.write(JSON.stringify({PLAIN:process.env.PLAIN,QUOTES:process.env.QUOTES,LINES:process.env.LINES}))'`;
    const out = execFileSync('sh', ['-c', script], {
      input: formatExports(NASTY, 'sh'),
      env: { PATH: process.env.PATH },
    }).toString();
    expect(JSON.parse(out)).toEqual(NASTY);
  });

  it('fish lines use set -gx with fish escapes', () => {
    expect(formatExports({ A: `it's \\ x` }, 'fish')).toBe(`set -gx A 'it\\'s \\\\ x';\n`);
  });

  it.skipIf(!hasFish)('fish lines evaluate to exactly the values (`ccbridge env --shell fish | source`)', () => {
    // `cat |`: node hands fish a socket as stdin, which fish's `source` cannot read (a shell pipe it can).
    const script = `cat | source; node -e 'process.stdout.write(JSON.stringify({PLAIN:process.env.PLAIN,QUOTES:process.env.QUOTES,LINES:process.env.LINES}))'`;
    const out = execFileSync('fish', ['--no-config', '-c', script], {
      input: formatExports(NASTY, 'fish'),
      env: { PATH: process.env.PATH },
    }).toString();
    expect(JSON.parse(out)).toEqual(NASTY);
  });
});
