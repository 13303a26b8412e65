import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_MODELS } from '../../../src/translate/codexModels.js';
import { prefixStability, type RecordedClaudeRequest, upstreamBodies } from '../../helpers/prefixStability.js';

// Issue 12 §3: every turn's upstream prompt is a byte-identical prefix of the next turn's, over a recorded real
// Claude Code session (three user turns with tool loops, a subagent; bench/prefix-stability.mjs --record).

const { requests } = JSON.parse(
  readFileSync(new URL('../../fixtures/claude-code/session.json', import.meta.url), 'utf8'),
) as { requests: RecordedClaudeRequest[] };
const LITE = [{ ...BUILTIN_MODELS[0]!, id: 'gpt-6.1-sol', model: 'gpt-6.1-sol', useResponsesLite: true }];

describe('prefix stability over a recorded Claude Code session', () => {
  it.each([
    ['gpt-5.5', BUILTIN_MODELS],
    ['gpt-6.1-sol (responses-lite)', LITE],
  ])('%s: every request keeps 100 %% of the previous one in its thread as its prefix', (_name, catalogue) => {
    const rows = prefixStability(requests, catalogue);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(new Set(rows.map((r) => r.thread))).toEqual(new Set(['main', 'subagent']));
    for (const r of rows) expect(r, `${r.from} → ${r.to}`).toMatchObject({ kept: 1 });
  });

  it('holds when Claude Code’s attribution line changes from request to request', () => {
    const noisy = requests.map((r, i) => {
      const body = structuredClone(r.body) as { system: { text: string }[] };
      body.system[0]!.text = `x-anthropic-billing-header: cc_version=2.1.332.${i}; cch=${i}abc;`;
      return { ...r, body };
    });
    expect(prefixStability(noisy, BUILTIN_MODELS).every((r) => r.kept === 1)).toBe(true);
  });

  it('notices a request that breaks the prefix (a tool list in another order)', () => {
    const shuffled = requests.map((r, i) => {
      if (i !== 3) return r;
      const body = structuredClone(r.body) as { tools: unknown[] };
      body.tools.reverse();
      return { ...r, body };
    });
    expect(prefixStability(shuffled, BUILTIN_MODELS).find((r) => r.to === 3)!.kept).toBeLessThan(0.01);
  });

  it('keys the cache per thread: the subagent has its own prompt_cache_key, stable across its requests', () => {
    const bodies = upstreamBodies(requests, BUILTIN_MODELS);
    const keys = (subagent: boolean) =>
      new Set(bodies.filter((b) => b.subagent === subagent).map((b) => b.body.prompt_cache_key));
    expect(keys(false).size).toBe(1);
    expect(keys(true).size).toBe(1);
    expect([...keys(true)][0]).not.toBe([...keys(false)][0]);
  });
});
