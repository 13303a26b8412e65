import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseUpstreamEvent, parseUpstreamFrame } from '../../../src/translate/parseUpstreamEvent.js';
import { decodeReasoningSignature, encodeReasoningSignature } from '../../../src/translate/reasoningSignature.js';
import type { ResponsesRequest } from '../../../src/translate/responsesSchema.js';
import { claudeSessionKey, conversationKey, threadIdentity } from '../../../src/translate/sessionKey.js';
import { buildToolNameMap, shortCallId, shortToolName } from '../../../src/translate/toolNames.js';
import {
  codexUserAgent,
  type UpstreamHeaderInput,
  upstreamHeaders,
  websocketRequest,
  withContentEncoding,
} from '../../../src/translate/upstreamHeaders.js';

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
  type Capture = { records: { kind: string; headers: [string, string][]; body: { model: string } }[] };
  const load = (name: string): Capture =>
    JSON.parse(readFileSync(new URL(`../../fixtures/codex-capture/${name}`, import.meta.url), 'utf8'));
  const httpRequests = (name: string) => load(name).records.filter((r) => r.kind === 'http');
  /** Sent by codex but not by the bridge: its remote-compaction flag, and what node:http adds itself. */
  const notOurs = new Set(['x-codex-beta-features', 'host', 'content-length']);
  const names = (headers: [string, string][]) => headers.map(([k]) => k).filter((k) => !notOurs.has(k));
  const SESSION = '01a242c1-bb64-7601-85dc-c2ce138fff70';
  const body = (over: Partial<ResponsesRequest> = {}) =>
    ({
      model: 'gpt-5.5',
      client_metadata: { 'x-codex-turn-metadata': '{"session_id":"s"}' },
      ...over,
    }) as ResponsesRequest;
  const headers = (over: Partial<UpstreamHeaderInput> = {}) =>
    upstreamHeaders({
      accessToken: 'tok',
      chatgptAccountId: 'acct-123',
      codexVersion: '0.169.0',
      userAgent: 'ua',
      thread: threadIdentity(SESSION, null),
      body: body(),
      responsesLite: false,
      ...over,
    });

  it('are codex 0.169.0’s header names in codex’s order (gpt-5.5 capture), values from the thread and body', () => {
    const captured = httpRequests('gpt-5.5.json')[0]!.headers;
    const ours = withContentEncoding(headers({ body: body({ service_tier: 'priority' }) }), 'zstd');
    expect(Object.keys(ours)).toEqual(names(captured));
    expect(ours).toMatchObject({
      version: '0.169.0',
      'x-codex-window-id': `${SESSION}:0`,
      'x-codex-turn-metadata': '{"session_id":"s"}',
      'x-codex-routing-hint': 'model=gpt-5.5;tier=priority',
      'x-client-request-id': SESSION,
      'session-id': SESSION,
      'thread-id': SESSION,
      accept: 'text/event-stream',
      'content-encoding': 'zstd',
      'content-type': 'application/json',
      authorization: 'Bearer tok',
      'chatgpt-account-id': 'acct-123',
      originator: 'codex_cli_rs',
    });
    const plain = withContentEncoding(headers({ chatgptAccountId: null }), null);
    expect(plain['x-codex-routing-hint']).toBe('model=gpt-5.5');
    expect(plain).not.toHaveProperty('chatgpt-account-id');
    expect(plain).not.toHaveProperty('content-encoding');
  });

  it('add the responses-lite header where codex does (gpt-6.1-sol capture)', () => {
    const captured = httpRequests('gpt-6.1-sol.json')[0]!.headers;
    const ours = withContentEncoding(headers({ responsesLite: true, body: body({ model: 'gpt-6.1-sol' }) }), 'zstd');
    expect(Object.keys(ours)).toEqual(names(captured));
    expect(ours['x-openai-internal-codex-responses-lite']).toBe('true');
  });

  it('name a subagent’s own thread, its parent and the session as codex does for a spawned agent', () => {
    const [, , child] = httpRequests('subagent-gpt-6.1-sol.json');
    const capturedChild = new Map(child!.headers);
    expect(capturedChild.get('session-id')).not.toBe(capturedChild.get('thread-id'));
    const thread = threadIdentity(SESSION, 'agent-1');
    const ours = withContentEncoding(
      headers({ thread, responsesLite: true, body: body({ model: 'gpt-6.1-sol' }) }),
      'zstd',
    );
    expect(Object.keys(ours)).toEqual(names(child!.headers));
    expect(ours).toMatchObject({
      'session-id': SESSION,
      'thread-id': thread.threadId,
      'x-client-request-id': thread.threadId,
      'x-codex-window-id': `${thread.threadId}:0`,
      'x-codex-parent-thread-id': SESSION,
      'x-openai-subagent': capturedChild.get('x-openai-subagent'),
    });
  });

  it('over WebSocket carry the responses-lite marker in each frame, not on the handshake (ws capture)', () => {
    const ws = load('ws-gpt-6.1-sol.json').records as unknown as {
      kind: string;
      headers?: [string, string][];
      frame?: { client_metadata: Record<string, string> };
    }[];
    const handshake = ws.find((r) => r.kind === 'ws-handshake')!.headers!.map(([k]) => k);
    const frame = ws.find((r) => r.kind === 'ws-frame')!.frame!;
    const http = headers({ responsesLite: true, body: body({ model: 'gpt-6.1-sol' }) });
    const ours = websocketRequest(http, body({ model: 'gpt-6.1-sol' }));
    expect(handshake).not.toContain('x-openai-internal-codex-responses-lite');
    expect(Object.keys(ours.handshake)).not.toContain('x-openai-internal-codex-responses-lite');
    const key = 'ws_request_header_x_openai_internal_codex_responses_lite';
    expect(frame.client_metadata[key]).toBe('true');
    expect(ours.body.client_metadata[key]).toBe('true');
    const plain = headers();
    expect(websocketRequest(plain, body())).toEqual({ handshake: plain, body: body() });
  });

  it('name the installed codex in the User-Agent the way codex formats it', () => {
    const capturedUa = new Map(httpRequests('gpt-5.5.json')[0]!.headers).get('user-agent')!;
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

describe('parseUpstreamFrame', () => {
  it('reads a WebSocket frame as JSON.parse would, the type taken off its front', () => {
    const frames = [
      { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, delta: 'quote " and \\ ✓' },
      { type: 'response.created', response: { id: 'resp_1', status: 'in_progress' } },
      { type: 'codex.rate_limits', rate_limits: { primary: { used_percent: 4 } } },
      { type: 'error', status: 429, error: { type: 'usage_limit_reached' } },
      { type: 'response.something_new', value: 1 },
      { sequence_number: 1, type: 'response.completed', response: { id: 'resp_1' } },
    ];
    for (const f of frames) {
      const ev = parseUpstreamFrame(JSON.stringify(f));
      if (f.type === 'response.output_text.delta')
        expect(ev).toEqual({ type: f.type, item_id: 'msg_1', delta: f.delta });
      else expect(ev).toEqual(f);
    }
  });

  it('skips the payload nothing reads, and refuses what is no event', () => {
    expect(parseUpstreamFrame('{"type":"response.in_progress","response":{"id":"r"}}')).toEqual({
      type: 'response.in_progress',
    });
    for (const text of ['[1,2]', '"text"', '{"no":"type"}', '{"type":3}', 'not json', '{"type":"x"'])
      expect(parseUpstreamFrame(text)).toBeNull();
  });
});

describe('conversationKey', () => {
  it('gives a sessionless conversation one stable key across its turns, another conversation another', () => {
    const first = { role: 'user', content: 'hi' };
    const key = conversationKey('Be brief.', first);
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(conversationKey('Be brief.', { role: 'user', content: 'hi' })).toBe(key);
    expect(conversationKey('Be brief.', { role: 'user', content: 'hello' })).not.toBe(key);
    expect(conversationKey(undefined, first)).not.toBe(key);
  });
});
