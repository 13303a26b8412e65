import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/claude/unifiedDiff.js';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', 'f')).toBe('');
    expect(unifiedDiff(null, null, 'f')).toBe('');
  });

  it('shows a new file against /dev/null', () => {
    expect(unifiedDiff(null, '{\n}\n', 'f')).toBe('--- /dev/null\n+++ f\n@@ -0,0 +1,2 @@\n+{\n+}\n');
  });

  it('keeps three lines of context and separates distant changes into hunks', () => {
    const old = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const next = [...old];
    next[2] = 'X2';
    next[15] = 'X15';
    const diff = unifiedDiff(`${old.join('\n')}\n`, `${next.join('\n')}\n`, 'f');
    expect(diff).toBe(
      [
        '--- f',
        '+++ f',
        '@@ -1,6 +1,6 @@',
        ' l0',
        ' l1',
        '-l2',
        '+X2',
        ' l3',
        ' l4',
        ' l5',
        '@@ -13,7 +13,7 @@',
        ' l12',
        ' l13',
        ' l14',
        '-l15',
        '+X15',
        ' l16',
        ' l17',
        ' l18',
        '',
      ].join('\n'),
    );
  });

  it('merges nearby changes into one hunk with correct ranges for insertions', () => {
    const diff = unifiedDiff('a\nb\nc\nd\n', 'a\nB\nc\nd\ne\n', 'f');
    expect(diff).toBe('--- f\n+++ f\n@@ -1,4 +1,5 @@\n a\n-b\n+B\n c\n d\n+e\n');
  });
});
