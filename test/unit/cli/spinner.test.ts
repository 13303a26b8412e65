import { describe, expect, it } from 'vitest';
import { SPIN_AFTER_MS, withSpinner } from '../../../src/cli/spinner.js';

/** A terminal-like stream that records what is drawn. */
function fakeTerminal() {
  const written: string[] = [];
  return {
    written,
    stream: { isTTY: true, write: (s: string) => written.push(s) > 0 } as unknown as NodeJS.WriteStream,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('withSpinner: no silent wait', () => {
  it('shows what it waits for once a wait passes ~300 ms, and clears the line after', async () => {
    const { written, stream } = fakeTerminal();
    expect(await withSpinner('asking codex', () => sleep(SPIN_AFTER_MS + 250).then(() => 42), stream)).toBe(42);
    expect(written.join('')).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] asking codex/);
    expect(written.at(-1)).toBe('\r\x1b[2K');
  });

  it('stays silent for a quick answer', async () => {
    const { written, stream } = fakeTerminal();
    await withSpinner('asking codex', () => sleep(20), stream);
    expect(written).toEqual([]);
  });
});
