import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatStatusLine, parseStatusLineInput } from '../../../src/claude/statusLine.js';
import type { StatusLineSnapshot } from '../../../src/shared/statusLineSnapshot.js';

// What the real Claude Code 2.1.332 passes its statusLine command: at start, and after one turn.
const fixture = (name: string) =>
  parseStatusLineInput(readFileSync(new URL(`../../fixtures/claude-code/${name}`, import.meta.url), 'utf8'));
const start = fixture('statusline-start.json');
const afterTurn = fixture('statusline-after-turn.json');
const NOW = Date.parse('2026-03-01T12:00:00Z');

const snapshot: StatusLineSnapshot = {
  version: 1,
  pid: 1,
  routeAccountId: 'w1',
  accounts: [
    {
      id: 'w1',
      name: 'work',
      model: null,
      fiveHour: { usedPercent: 42, resetsAt: NOW + 2 * 3_600_000 + 5 * 60_000 },
      weekly: { usedPercent: 7.4, resetsAt: NOW + 4 * 86_400_000 },
      stale: false,
    },
    {
      id: 'p2',
      name: 'personal',
      model: 'gpt-5.4',
      fiveHour: { usedPercent: 12, resetsAt: NOW + 3_600_000 },
      weekly: { usedPercent: 91, resetsAt: NOW + 86_400_000 + 3 * 3_600_000 },
      stale: false,
    },
  ],
  sessions: { [afterTurn.session_id!]: { accountId: 'p2', model: 'gpt-5.5', at: NOW } },
};

describe('statusline', () => {
  it("names the session's account and model, both windows with the tighter one's reset, and the context", () => {
    expect(formatStatusLine(afterTurn, snapshot, NOW, false)).toBe(
      'personal · gpt-5.5 medium · 5h 12% · wk 91% · ↻ 1d 3h · ctx 4.2k/1M',
    );
  });

  it('a session not served yet shows where requests go now; no context before the first turn', () => {
    expect(formatStatusLine(start, { ...snapshot, sessions: {} }, NOW, false)).toBe(
      'work · Opus 5.5 medium · 5h 42% · wk 7% · ↻ 2h 5m',
    );
  });

  it('marks numbers that may have moved since (stale limits) with ~', () => {
    const stale = { ...snapshot, accounts: snapshot.accounts.map((a) => ({ ...a, stale: true })) };
    expect(formatStatusLine(afterTurn, stale, NOW, false)).toContain('5h ~12% · wk ~91%');
  });

  it('colours the account and each percentage by level, none without colour', () => {
    const line = formatStatusLine(afterTurn, snapshot, NOW, true);
    expect(line).toContain('\x1b[1;36mpersonal\x1b[0m');
    expect(line).toContain('5h \x1b[32m12%\x1b[0m');
    expect(line).toContain('wk \x1b[31m91%\x1b[0m');
    expect(formatStatusLine(afterTurn, snapshot, NOW, false)).not.toContain('\x1b');
  });

  it('a short fallback when the daemon is down, and on input it cannot read', () => {
    expect(formatStatusLine(afterTurn, null, NOW, false)).toBe('ccbridge not running (ccbridge start) · Opus 5.5');
    expect(formatStatusLine(parseStatusLineInput('not json'), null, NOW, false)).toBe(
      'ccbridge not running (ccbridge start)',
    );
    expect(formatStatusLine({}, { ...snapshot, routeAccountId: null }, NOW, false)).toBe(
      'ccbridge: no account to route to',
    );
  });
});
