import { describe, expect, it } from 'vitest';
import { buildClaudeEnv } from '../../../src/claude/buildClaudeEnv.js';
import { TIER_ALIASES } from '../../../src/shared/bridgeNames.js';

const noTiers = { opusModel: null, sonnetModel: null, haikuModel: null, subagentModel: null };
const token = 't'.repeat(43);

describe('buildClaudeEnv', () => {
  it('points Claude Code at the bridge with the tier aliases by default', () => {
    const env = buildClaudeEnv({
      baseUrl: 'http://127.0.0.1:9001/anthropic',
      token,
      maxContextTokens: 258_400,
      settings: noTiers,
    });
    expect(env).toEqual({
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9001/anthropic',
      ANTHROPIC_AUTH_TOKEN: token,
      ANTHROPIC_MODEL: TIER_ALIASES.opus,
      ANTHROPIC_DEFAULT_OPUS_MODEL: 'ccbridge-opus',
      ANTHROPIC_DEFAULT_SONNET_MODEL: 'ccbridge-sonnet',
      ANTHROPIC_DEFAULT_HAIKU_MODEL: 'ccbridge-haiku',
      CLAUDE_CODE_SUBAGENT_MODEL: 'ccbridge-sonnet',
      ENABLE_EXPERIMENTAL_MCP_CLI: 'true',
      CLAUDE_CODE_ATTRIBUTION_HEADER: '0',
      API_TIMEOUT_MS: '1800000',
      CLAUDE_CODE_MAX_CONTEXT_TOKENS: '258400',
    });
    expect(env).not.toHaveProperty('ANTHROPIC_API_KEY');
    expect(env).not.toHaveProperty('CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC');
    expect(env).not.toHaveProperty('ANTHROPIC_CUSTOM_HEADERS');
  });

  it('uses the configured tier models, and subagentModel over the sonnet tier', () => {
    const env = buildClaudeEnv({
      baseUrl: 'http://127.0.0.1:9000/anthropic',
      token,
      maxContextTokens: 258_400,
      settings: { opusModel: 'gpt-5.5', sonnetModel: 'gpt-5.4', haikuModel: 'gpt-5.4-mini', subagentModel: null },
    });
    expect(env).toMatchObject({
      ANTHROPIC_MODEL: 'gpt-5.5',
      ANTHROPIC_DEFAULT_OPUS_MODEL: 'gpt-5.5',
      ANTHROPIC_DEFAULT_SONNET_MODEL: 'gpt-5.4',
      ANTHROPIC_DEFAULT_HAIKU_MODEL: 'gpt-5.4-mini',
      CLAUDE_CODE_SUBAGENT_MODEL: 'gpt-5.4',
    });
    const sub = buildClaudeEnv({
      baseUrl: 'http://127.0.0.1:9000/anthropic',
      token,
      maxContextTokens: 258_400,
      settings: { ...noTiers, subagentModel: 'gpt-5.4-mini' },
    });
    expect(sub.CLAUDE_CODE_SUBAGENT_MODEL).toBe('gpt-5.4-mini');
  });

  it('pins an account through the header the bridge honours', () => {
    const env = buildClaudeEnv({
      baseUrl: 'http://127.0.0.1:9000/anthropic',
      token,
      maxContextTokens: 258_400,
      settings: noTiers,
      accountId: 'ab12cd34',
    });
    expect(env.ANTHROPIC_CUSTOM_HEADERS).toBe('x-ccbridge-account: ab12cd34');
  });

  it('reaches a wildcard-bound bridge through loopback and drops a trailing slash', () => {
    expect(
      buildClaudeEnv({ baseUrl: 'http://0.0.0.0:9000/anthropic/', token, maxContextTokens: 258_400, settings: noTiers })
        .ANTHROPIC_BASE_URL,
    ).toBe('http://127.0.0.1:9000/anthropic');
    expect(
      buildClaudeEnv({ baseUrl: 'http://[::]:9000/anthropic', token, maxContextTokens: 258_400, settings: noTiers })
        .ANTHROPIC_BASE_URL,
    ).toBe('http://[::1]:9000/anthropic');
  });

  it('keeps a stable key order, so the same input gives the same file', () => {
    const a = buildClaudeEnv({
      baseUrl: 'http://127.0.0.1:9000/anthropic',
      token,
      maxContextTokens: 258_400,
      settings: noTiers,
    });
    const b = buildClaudeEnv({
      baseUrl: 'http://127.0.0.1:9000/anthropic',
      token,
      maxContextTokens: 258_400,
      settings: { ...noTiers },
    });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
