import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatExports } from '../../src/claude/shellExports.js';

const NASTY = { PLAIN: 'http://127.0.0.1:9000/anthropic', QUOTES: `it's "x" \\ $HOME \`id\` $(id)`, LINES: 'a: 1\nb: 2' };

describe('formatExports', () => {
  it('sh lines evaluate to exactly the values', () => {
    const script = `eval "$(cat)"; node -e 'process.stdout.write(JSON.stringify({PLAIN:process.env.PLAIN,QUOTES:process.env.QUOTES,LINES:process.env.LINES}))'`;
    const out = execFileSync('sh', ['-c', script], { input: formatExports(NASTY, 'sh'), env: { PATH: process.env.PATH } }).toString();
    expect(JSON.parse(out)).toEqual(NASTY);
  });

  it('fish lines use set -gx with fish escapes', () => {
    expect(formatExports({ A: `it's \\ x` }, 'fish')).toBe(`set -gx A 'it\\'s \\\\ x';\n`);
  });
});
