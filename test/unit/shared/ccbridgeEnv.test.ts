import { describe, expect, it } from 'vitest';
import { ccbridgeEnv } from '../../../src/shared/schemas/ccbridgeEnv.js';

describe('ccbridgeEnv', () => {
  it('gives the defaults for an empty environment and treats empty values as unset', () => {
    const env = ccbridgeEnv({ CCBRIDGE_HOST: '', CCBRIDGE_CODEX_TIMEOUT_MS: '' });
    expect(env).toMatchObject({
      CCBRIDGE_HOST: '127.0.0.1',
      CCBRIDGE_PORT: 9000,
      CCBRIDGE_START_TIMEOUT_MS: 15_000,
      CCBRIDGE_STOP_TIMEOUT_MS: 20_000,
    });
    expect(env.CCBRIDGE_CODEX_TIMEOUT_MS).toBeUndefined();
  });

  it('turns numbers into numbers and leaves other variables out', () => {
    const env = ccbridgeEnv({ CCBRIDGE_PORT: '9123', CCBRIDGE_PING_MS: '60', PATH: '/bin' });
    expect(env.CCBRIDGE_PORT).toBe(9123);
    expect(env.CCBRIDGE_PING_MS).toBe(60);
    expect(env).not.toHaveProperty('PATH');
  });

  it('names the malformed variable and its value, exit 2', () => {
    expect(() => ccbridgeEnv({ CCBRIDGE_STOP_TIMEOUT_MS: 'soon' })).toThrow(
      expect.objectContaining({
        code: 'invalid_env',
        exitCode: 2,
        message: expect.stringMatching(/^CCBRIDGE_STOP_TIMEOUT_MS="soon" is not valid \(.+\); fix or unset it$/),
      }),
    );
    expect(() => ccbridgeEnv({ CCBRIDGE_PORT: '70000' })).toThrow(/^CCBRIDGE_PORT="70000" is not valid/);
    expect(() => ccbridgeEnv({ CCBRIDGE_UPSTREAM_URL: 'not a url' })).toThrow(/CCBRIDGE_UPSTREAM_URL/);
  });
});
