import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseUpstreamEvent } from '../../src/translate/parseUpstreamEvent.js';
import { decodeReasoningSignature, encodeReasoningSignature } from '../../src/translate/reasoningSignature.js';
import { claudeSessionKey } from '../../src/translate/sessionKey.js';
import { buildToolNameMap, shortCallId, shortToolName } from '../../src/translate/toolNames.js';
import { codexUserAgent, upstreamHeaders } from '../../src/translate/upstreamHeaders.js';

describe('tool names and call ids', () => {
  it('leaves valid names alone and shortens the rest deterministically to valid ≤64-char names', () => {
    expect(shortToolName('Bash')).toBe('Bash');
    expect(shortToolName('mcp__github__create_issue')).toBe('mcp__github__create_issue');
    const long = `mcp__${'server'.repeat(10)}__${'tool'.repeat(10)}`;
    const short = shortToolName(long);
    expect(short).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(short).toBe(shortToolName(long));
    expect(shortToolName(`${long}x`)).not.toBe(short);
    expect(shortToolName('mcp__a.b/c')).toMatch(/^mcp__a_b_c_[0-9a-f]{8}$/);
  });

  it('maps shortened names back, per request', () => {
    const long = 'x'.repeat(100);
    const map = buildToolNameMap(['Read', long, 'odd name']);
    expect(map.fromUpstream(map.toUpstream(long))).toBe(long);
    expect(map.fromUpstream(map.toUpstream('odd name'))).toBe('odd name');
    expect(map.fromUpstream('Read')).toBe('Read');
    expect(map.fromUpstream('unknown_tool')).toBe('unknown_tool');
  });

  it('shortens long call ids the same way on both sides', () => {
    const id = `call_${'a'.repeat(64)}`;
    expect(shortCallId(id)).toHaveLength(64);
    expect(shortCallId(id)).toBe(shortCallId(id));
    expect(shortCallId('toolu_01ABC')).toBe('toolu_01ABC');
  });
});

describe('reasoning signatures', () => {
  it('round-trips the encrypted content for the same account only', () => {
    const sig = encodeReasoningSignature('acct1', 'gAAAAB.c=+/x');
    expect(sig.startsWith('ccbridge.v1.acct1.')).toBe(true);
    expect(decodeReasoningSignature(sig, 'acct1')).toBe('gAAAAB.c=+/x');
    expect(decodeReasoningSignature(sig, 'acct2')).toBeNull();
    expect(decodeReasoningSignature('EqQBCkgIBRABGAIiQHk', 'acct1')).toBeNull();
    expect(decodeReasoningSignature('ccbridge.v0.acct1.x', 'acct1')).toBeNull();
    expect(decodeReasoningSignature('ccbridge.v1.acct1.', 'acct1')).toBeNull();
    expect(decodeReasoningSignature(undefined, 'acct1')).toBeNull();
  });
});

describe('claudeSessionKey', () => {
  it('prefers the session header, then metadata.user_id (JSON with session_id, or a plain id), as a UUID', () => {
    expect(claudeSessionKey('66D32F60-2B88-4EBB-94DB-D5F77F352E9A', 'x')).toBe('66d32f60-2b88-4ebb-94db-d5f77f352e9a');
    expect(
      claudeSessionKey(
        null,
        JSON.stringify({ device_id: 'd', account_uuid: '', session_id: '11111111-2222-3333-4444-555555555555' }),
      ),
    ).toBe('11111111-2222-3333-4444-555555555555');
    const hashed = claudeSessionKey(null, 'user_abc_account__session_xyz');
    expect(hashed).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(claudeSessionKey(undefined, 'user_abc_account__session_xyz')).toBe(hashed);
    expect(claudeSessionKey(undefined, null)).toBeNull();
  });
});

describe('upstream headers', () => {
  const captured: [string, string][] = JSON.parse(
    readFileSync(new URL('../fixtures/codex-capture/chatgpt-tool-round-trip.json', import.meta.url), 'utf8'),
  ).headers;

  it('are codex 0.169.0’s header names in codex’s order, minus compression and per-turn telemetry', () => {
    const ours = upstreamHeaders({
      accessToken: 'tok',
      chatgptAccountId: 'acct-123',
      codexVersion: '0.169.0',
      userAgent: 'ua',
      sessionId: 'sid',
      model: 'gpt-5.5',
      priority: true,
    });
    const omitted = new Set([
      'x-codex-beta-features',
      'x-codex-turn-metadata',
      'content-encoding',
      'host',
      'content-length',
    ]);
    expect(Object.keys(ours)).toEqual(captured.map(([k]) => k).filter((k) => !omitted.has(k)));
    expect(ours).toMatchObject({
      version: '0.169.0',
      'x-codex-window-id': 'sid:0',
      'x-codex-routing-hint': 'model=gpt-5.5;tier=priority',
      'x-client-request-id': 'sid',
      'session-id': 'sid',
      'thread-id': 'sid',
      accept: 'text/event-stream',
      'content-type': 'application/json',
      authorization: 'Bearer tok',
      'chatgpt-account-id': 'acct-123',
      originator: 'codex_cli_rs',
    });
    const plain = upstreamHeaders({
      accessToken: 't',
      chatgptAccountId: null,
      codexVersion: '1',
      userAgent: 'u',
      sessionId: 's',
      model: 'm',
      priority: false,
    });
    expect(plain['x-codex-routing-hint']).toBe('model=m');
    expect(plain).not.toHaveProperty('chatgpt-account-id');
  });

  it('name the installed codex in the User-Agent the way codex formats it', () => {
    const capturedUa = captured.find(([k]) => k === 'user-agent')![1];
    expect(capturedUa.startsWith('codex_exec/0.169.0 (Debian 12.0.0; x86_64) xterm')).toBe(true);
    expect(
      codexUserAgent('0.169.0', { osType: 'Debian', osVersion: '12.0.0', arch: 'x86_64', terminal: 'xterm' }),
    ).toBe('codex_cli_rs/0.169.0 (Debian 12.0.0; x86_64) xterm');
  });
});

describe('parseUpstreamEvent', () => {
  const tricky = [
    'plain',
    'quote " inside',
    'back\\slash',
    'new\nline',
    'unicode ✓ é 😀',
    '"delta":"fake"',
    '\\"',
    'tab\t',
    '</script>',
  ];

  it('slices delta events to exactly what JSON.parse would give', () => {
    for (const type of [
      'response.output_text.delta',
      'response.function_call_arguments.delta',
      'response.reasoning_summary_text.delta',
    ]) {
      for (const delta of tricky) {
        const data = JSON.stringify({
          type,
          sequence_number: 3,
          item_id: 'msg_1',
          output_index: 0,
          content_index: 0,
          delta,
        });
        expect(parseUpstreamEvent(type, data)).toEqual({ type, item_id: 'msg_1', delta });
      }
    }
  });

  it('falls back to JSON.parse when the payload is not the usual flat object', () => {
    const spaced = '{"type": "response.output_text.delta", "item_id": "m", "delta": "x"}';
    expect(parseUpstreamEvent('response.output_text.delta', spaced)).toEqual(JSON.parse(spaced));
    const noId = '{"type":"response.output_text.delta","output_index":2,"delta":"x"}';
    expect(parseUpstreamEvent('response.output_text.delta', noId)).toEqual(JSON.parse(noId));
    const created = '{"type":"response.created","response":{"id":"resp_1"}}';
    expect(parseUpstreamEvent('response.created', created)).toEqual(JSON.parse(created));
    expect(parseUpstreamEvent(undefined, created)).toEqual(JSON.parse(created));
    expect(parseUpstreamEvent('response.created', '[DONE]')).toBeNull();
  });

  it('does not parse events whose payload nothing reads', () => {
    expect(parseUpstreamEvent('response.output_text.done', '{"not":"even read"')).toEqual({
      type: 'response.output_text.done',
    });
  });
});
