import { describe, expect, it } from 'vitest';
import { anthropicErrorBody, errorTypeForStatus } from '../../../src/translate/anthropicError.js';
import {
  classifyHttpFailure,
  classifyStreamFailure,
  type FailureContext,
} from '../../../src/translate/upstreamErrors.js';
import { usageLimitBody } from '../../fakes/codexBackend.js';

const NOW = 1_900_000_000_000;
const ctx: FailureContext = {
  now: NOW,
  accountName: 'work',
  model: 'gpt-5.5',
  contextWindow: 272000,
  promptTokens: () => 280123,
};
const http = (status: number, body: unknown, retryAfter?: string) =>
  classifyHttpFailure(status, typeof body === 'string' ? body : JSON.stringify(body), ctx, retryAfter);

describe('classifyHttpFailure', () => {
  it('429 usage_limit_reached → 429 rate_limit_error, retry-after from resets_at, no client retries, the reset named', () => {
    const f = http(429, usageLimitBody(NOW / 1000 + 3600, 'plus'));
    expect(f.kind).toBe('usage_limit');
    expect(f.error.status).toBe(429);
    expect(f.error.errorType).toBe('rate_limit_error');
    expect(f.error.headers).toEqual({ 'retry-after': '3600', 'x-should-retry': 'false' });
    expect(f.error.message).toContain('account work (plus plan)');
    expect(f.error.message).toContain(new Date(NOW + 3600_000).toISOString());
    expect(f.error.message).toContain('ccbridge use');
  });

  it('other 429s are throttling with the retry-after they came with', () => {
    const f = http(429, { error: { type: 'rate_limit_exceeded', message: 'slow down' } }, '7');
    expect(f).toMatchObject({ kind: 'rate_limit' });
    expect(f.error.headers).toEqual({ 'retry-after': '7' });
    expect(http(429, { error: { type: 'usage_not_included' } }).error.errorType).toBe('permission_error');
  });

  it('401 → authentication_error naming `ccbridge connect <account>`', () => {
    const f = http(401, { detail: 'Unauthorized' });
    expect(f.kind).toBe('unauthorized');
    expect(f.error).toMatchObject({ status: 401, errorType: 'authentication_error' });
    expect(f.error.message).toContain('ccbridge connect work');
  });

  it('context too long → 400 with the exact wording Claude Code compacts on', () => {
    const stated = http(400, {
      error: {
        message:
          "This model's maximum context length is 272000 tokens. However, your messages resulted in 290000 tokens.",
        code: 'context_length_exceeded',
      },
    });
    expect(stated.kind).toBe('context_length');
    expect(stated.error.message).toBe('prompt is too long: 290000 tokens > 272000 maximum');
    expect(
      http(400, { error: { message: 'Your input exceeds the context window of this model.' } }).error.message,
    ).toBe('prompt is too long: 280123 tokens > 272000 maximum');
    expect(http(400, { detail: 'context_length_exceeded' }).error.errorType).toBe('invalid_request_error');
  });

  it('5xx: overload → 529 overloaded_error, others → 500-class api_error', () => {
    expect(http(503, { error: { code: 'server_is_overloaded' } }).error).toMatchObject({
      status: 529,
      errorType: 'overloaded_error',
    });
    expect(http(529, 'busy').error.status).toBe(529);
    expect(http(500, 'oops').error).toMatchObject({ status: 500, errorType: 'api_error' });
    expect(http(502, '<html>bad gateway</html>').kind).toBe('overloaded');
  });

  it('other statuses keep their Anthropic types; an HTML body is named by its title or first words', () => {
    expect(http(404, { detail: 'Model not found gpt-x' }).error).toMatchObject({
      status: 404,
      errorType: 'not_found_error',
    });
    expect(http(404, { detail: 'Model not found gpt-x' }).error.message).toMatch(/^model 'gpt-5.5' not found/);
    const cf = http(403, '<!DOCTYPE html><html>Just a moment...</html>');
    expect(cf.error).toMatchObject({ status: 403, errorType: 'permission_error' });
    expect(cf.error.message).toBe('Codex backend refused the request (403): an HTML page: Just a moment...');
    // A challenge page is about this machine, not the account: no failover.
    expect(cf.kind).toBe('backend');
    expect(http(403, { detail: 'account suspended' }).kind).toBe('other');
    expect(http(413, '').error).toMatchObject({ status: 413, errorType: 'request_too_large' });
    expect(http(400, { detail: 'Unsupported parameter: foo' }).error.message).toBe(
      'Codex backend rejected the request (400): Unsupported parameter: foo',
    );
    expect(http(422, { detail: 'x' }).error.status).toBe(422);
  });
});

describe('classifyStreamFailure (response.failed codes, codex.md §9)', () => {
  const stream = (code: string, message = 'm') => classifyStreamFailure({ code, message }, ctx);
  it('maps each code', () => {
    expect(stream('context_length_exceeded').error.message).toBe('prompt is too long: 280123 tokens > 272000 maximum');
    expect(stream('insufficient_quota').kind).toBe('usage_limit');
    expect(stream('usage_not_included').error.errorType).toBe('permission_error');
    expect(stream('rate_limit_exceeded', 'Please try again in 11.054s.').error.headers['retry-after']).toBe('12');
    expect(stream('server_is_overloaded').error.status).toBe(529);
    expect(stream('slow_down').kind).toBe('overloaded');
    expect(stream('invalid_prompt').error).toMatchObject({ status: 400, errorType: 'invalid_request_error' });
    expect(stream('mystery').error).toMatchObject({ status: 500, errorType: 'api_error' });
    expect(classifyStreamFailure(null, ctx).kind).toBe('other');
  });
});

describe('Anthropic error shape', () => {
  it('is {type:"error", error:{type,message}, request_id} and types follow statuses', () => {
    expect(anthropicErrorBody(http(401, '').error, 'req_1')).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: expect.any(String) },
      request_id: 'req_1',
    });
    expect(errorTypeForStatus(409)).toBe('invalid_request_error');
    expect(errorTypeForStatus(503)).toBe('api_error');
    expect(errorTypeForStatus(529)).toBe('overloaded_error');
  });
});
