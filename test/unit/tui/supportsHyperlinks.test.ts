import { describe, expect, it } from 'vitest';
import { supportsHyperlinks } from '../../../src/tui/supportsHyperlinks.js';

describe('supportsHyperlinks', () => {
  it('knows the terminals that show OSC 8 links', () => {
    expect(supportsHyperlinks({ TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '3.4.19' }, true)).toBe(true);
    expect(supportsHyperlinks({ TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '3.0.15' }, true)).toBe(false);
    expect(
      supportsHyperlinks({ TERM_PROGRAM: 'WezTerm', TERM_PROGRAM_VERSION: '20240203-110809-5046fc22' }, true),
    ).toBe(true);
    expect(supportsHyperlinks({ TERM_PROGRAM: 'vscode', TERM_PROGRAM_VERSION: '1.95.3' }, true)).toBe(true);
    expect(supportsHyperlinks({ TERM_PROGRAM: 'vscode', TERM_PROGRAM_VERSION: '1.60.0' }, true)).toBe(false);
    expect(supportsHyperlinks({ WT_SESSION: 'a1b2' }, true)).toBe(true);
    expect(supportsHyperlinks({ TERM: 'xterm-kitty' }, true)).toBe(true);
    expect(supportsHyperlinks({ VTE_VERSION: '7600' }, true)).toBe(true);
    expect(supportsHyperlinks({ VTE_VERSION: '0.50.0' }, true)).toBe(false);
    expect(supportsHyperlinks({ VTE_VERSION: '4601' }, true)).toBe(false);
  });

  it('is off for an unknown or dumb terminal, without a TTY, and in CI', () => {
    expect(supportsHyperlinks({ TERM: 'xterm-256color' }, true)).toBe(false);
    expect(supportsHyperlinks({ TERM: 'dumb', VTE_VERSION: '7600' }, true)).toBe(false);
    expect(supportsHyperlinks({ VTE_VERSION: '7600' }, false)).toBe(false);
    expect(supportsHyperlinks({ VTE_VERSION: '7600', CI: 'true' }, true)).toBe(false);
  });

  it('FORCE_HYPERLINK decides over everything: 0 off, anything else on', () => {
    expect(supportsHyperlinks({ FORCE_HYPERLINK: '1', TERM: 'dumb' }, false)).toBe(true);
    expect(supportsHyperlinks({ FORCE_HYPERLINK: '' }, false)).toBe(true);
    expect(supportsHyperlinks({ FORCE_HYPERLINK: '0', WT_SESSION: 'x' }, true)).toBe(false);
  });
});
