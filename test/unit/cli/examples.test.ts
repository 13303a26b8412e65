import { describe, expect, it } from 'vitest';
import { EXAMPLES, examplesHelp } from '../../../src/cli/examples.js';

describe('examples in --help', () => {
  it('fit an 80-column terminal for every command, each command still shown whole', () => {
    for (const name of Object.keys(EXAMPLES)) {
      const text = examplesHelp(name)!;
      for (const line of text.split('\n')) expect(line.length, `${name}: ${line}`).toBeLessThanOrEqual(80);
      for (const [cmd, what] of EXAMPLES[name]!) {
        expect(text).toContain(`  ${cmd}`);
        expect(text).toContain(`# ${what}`);
      }
    }
  });

  it('keep a comment beside its command when the whole set fits', () => {
    expect(examplesHelp('version')).toBe('\nExamples:\n  ccbridge version  # print the version');
  });
});
