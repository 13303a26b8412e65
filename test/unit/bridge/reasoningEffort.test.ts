import { describe, expect, it } from 'vitest';
import type { CodexModel } from '../../../src/shared/schemas/codexModel.js';
import { chooseReasoning } from '../../../src/translate/reasoningEffort.js';

// The 0.169.0 catalogue's shapes (codex debug models --bundled): newer models list max and ultra, gpt-5.5
// stops at xhigh, none lists none/minimal.
const efforts = (...e: string[]) => e.map((reasoningEffort) => ({ reasoningEffort }));
const SOL: CodexModel = {
  id: 'gpt-6.1-sol',
  supportedReasoningEfforts: efforts('low', 'medium', 'high', 'xhigh', 'max', 'ultra'),
  defaultReasoningEffort: 'low',
};
const LUNA: CodexModel = {
  id: 'gpt-6-luna',
  supportedReasoningEfforts: efforts('medium', 'high', 'xhigh', 'max'),
  defaultReasoningEffort: 'medium',
};
const LEGACY: CodexModel = { id: 'gpt-5.5', supportedReasoningEfforts: efforts('low', 'medium', 'high', 'xhigh') };

describe('chooseReasoning', () => {
  it('thinking absent or disabled: the model’s cheapest listed effort, no summary, no thinking blocks', () => {
    const off = { effort: 'low', summary: false, thinking: 'none' };
    expect(chooseReasoning(undefined, undefined, SOL)).toEqual(off);
    expect(chooseReasoning(null, 'max', SOL)).toEqual(off);
    expect(chooseReasoning({ type: 'disabled' }, 'high', LEGACY)).toEqual(off);
    expect(chooseReasoning({ type: 'disabled' }, undefined, LUNA)).toEqual({ ...off, effort: 'medium' });
    expect(chooseReasoning(undefined, undefined, undefined)).toEqual(off);
  });

  it('Claude Code’s output_config.effort maps 1:1 where the model lists it, else to the nearest listed below', () => {
    for (const level of ['low', 'medium', 'high', 'xhigh', 'max'])
      expect(chooseReasoning({ type: 'adaptive' }, level, SOL).effort).toBe(level);
    expect(chooseReasoning({ type: 'adaptive' }, 'max', LEGACY).effort).toBe('xhigh');
    expect(chooseReasoning({ type: 'adaptive' }, 'low', LUNA).effort).toBe('medium');
    expect(chooseReasoning({ type: 'adaptive' }, 'none', SOL).effort).toBe('low'); // unknown: the model default
  });

  it('thinking on: summaries and full thinking blocks unless display is omitted ("updates" shows them too)', () => {
    expect(chooseReasoning({ type: 'adaptive' }, 'high', SOL)).toEqual({
      effort: 'high',
      summary: true,
      thinking: 'full',
    });
    expect(chooseReasoning({ type: 'adaptive', display: 'updates' }, 'high', SOL).thinking).toBe('full');
    expect(chooseReasoning({ type: 'adaptive', display: 'omitted' }, 'high', SOL)).toEqual({
      effort: 'high',
      summary: false,
      thinking: 'signature',
    });
    expect(chooseReasoning({ type: 'enabled', budget_tokens: 31999 }, undefined, SOL).effort).toBe('high');
    expect(chooseReasoning({ type: 'adaptive' }, undefined, LUNA).effort).toBe('medium');
  });
});
