import { describe, expect, it } from 'vitest';
import { parseLimitHeaders } from '../../../src/limits/parseLimitHeaders.js';
import { rateLimitEventHeaders } from '../../../src/limits/rateLimitEventHeaders.js';
import { BUILTIN_MODELS, findModel } from '../../../src/translate/codexModels.js';
import { parseMessagesRequest } from '../../../src/translate/parseMessagesRequest.js';
import { encodeReasoningSignature } from '../../../src/translate/reasoningSignature.js';
import {
  continuationMismatch,
  type PreviousResponse,
  responseCreateFrame,
} from '../../../src/translate/responsesContinuation.js';
import { threadIdentity } from '../../../src/translate/sessionKey.js';
import { translateRequest } from '../../../src/translate/translateRequest.js';
import type { UpstreamItem } from '../../../src/translate/upstreamEvents.js';
import { RATE_LIMITS_EVENT } from '../../fakes/codexBackend.js';

// The continuation rule on bodies the real translation produces: Claude Code's replay of a response must be
// recognised as that response's output, and anything else must not be.

const SESSION = '66d32f60-2b88-4ebb-94db-d5f77f352e9a';
const TOOLS = [{ name: 'Bash', description: 'run', input_schema: { type: 'object', properties: { command: {} } } }];

const LITE = { ...findModel(BUILTIN_MODELS, 'gpt-5.5')!, id: 'gpt-6.1-sol', useResponsesLite: true };

function body(messages: unknown[], over: Record<string, unknown> = {}, info = findModel(BUILTIN_MODELS, 'gpt-5.5')) {
  const req = parseMessagesRequest(
    JSON.stringify({
      model: 'claude-opus-4-5',
      max_tokens: 100,
      system: 'You are Claude Code.',
      tools: TOOLS,
      messages,
      ...over,
    }),
  );
  return translateRequest(req, {
    model: { slug: info!.id, info, tier: null },
    accountId: 'acct1',
    fastMode: false,
    thread: threadIdentity(SESSION, null),
    installationId: 'd318b0ab-7ffb-4aad-ae6e-91986d4207f4',
  }).body;
}

/** What the backend returned for turn 1, as `response.output_item.done` items (ids, statuses, spaced JSON). */
const OUTPUT: UpstreamItem[] = [
  {
    id: 'rs_1',
    type: 'reasoning',
    summary: [
      { type: 'summary_text', text: 'Plan.' },
      { type: 'summary_text', text: 'Run ls.' },
    ],
    encrypted_content: 'gAAAA-enc',
  },
  {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text: 'Listing.' }],
  },
  {
    id: 'fc_1',
    type: 'function_call',
    status: 'completed',
    name: 'Bash',
    call_id: 'call_1',
    arguments: '{"command": "ls"}',
  },
];
/** The same turn as Claude Code sends it back (what the bridge's translator gave it). */
const thinking = (text: string) => ({
  type: 'thinking',
  thinking: text,
  signature: encodeReasoningSignature('acct1', 'gAAAA-enc'),
});
const ASSISTANT = (thought = 'Plan.\n\nRun ls.') => ({
  role: 'assistant',
  content: [
    thinking(thought),
    { type: 'text', text: 'Listing.' },
    { type: 'tool_use', id: 'call_1', name: 'Bash', input: { command: 'ls' } },
  ],
});
const RESULT = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'a b' }] };
const FIRST = [{ role: 'user', content: 'list files' }];

const previous = (): PreviousResponse => ({ request: body(FIRST), responseId: 'resp_1', output: OUTPUT });

describe('responses continuation', () => {
  it("Claude Code's replay of the response continues it: previous_response_id and only the new items", () => {
    const next = body([...FIRST, ASSISTANT(), RESULT]);
    expect(continuationMismatch(previous(), next)).toBeNull();
    const { frame, incremental } = responseCreateFrame(next, previous());
    expect(incremental).toBe(true);
    expect(frame.previous_response_id).toBe('resp_1');
    expect(frame.input).toEqual([{ type: 'function_call_output', call_id: 'call_1', output: 'a b' }]);
    // The id goes right before the input; every other field is the HTTP body's, in its order.
    const keys = Object.keys(frame);
    expect(keys[0]).toBe('type');
    expect(keys.indexOf('previous_response_id')).toBe(keys.indexOf('input') - 1);
    expect(keys.filter((k) => k !== 'type' && k !== 'previous_response_id')).toEqual(Object.keys(next));
  });

  it('on a responses-lite model too, where replayed calls name their tools namespace', () => {
    const prev: PreviousResponse = { request: body(FIRST, {}, LITE), responseId: 'resp_1', output: OUTPUT };
    const next = body([...FIRST, ASSISTANT(), RESULT], {}, LITE);
    expect(next.input.find((i) => i.type === 'function_call')).toMatchObject({ namespace: 'functions' });
    expect(continuationMismatch(prev, next)).toBeNull();
    expect(responseCreateFrame(next, prev).frame.input).toEqual([
      { type: 'function_call_output', call_id: 'call_1', output: 'a b' },
    ]);
  });

  it('thinking replayed without its text (display omitted) is still the same reasoning', () => {
    expect(continuationMismatch(previous(), body([...FIRST, ASSISTANT(''), RESULT]))).toBeNull();
  });

  it('anything else sends the full input: edits, rewinds, other fields', () => {
    const [think, , use] = ASSISTANT().content;
    const edited = { role: 'assistant', content: [think, { type: 'text', text: 'Edited.' }, use] };
    expect(continuationMismatch(previous(), body([...FIRST, edited, RESULT]))).toBe('input_diverged');
    expect(continuationMismatch(previous(), body([{ role: 'user', content: 'something else' }]))).toBe(
      'input_not_extended',
    );
    expect(continuationMismatch(previous(), body([...FIRST, ASSISTANT(), RESULT], { tools: [] }))).toBe(
      'tools_changed',
    );
    expect(continuationMismatch(previous(), body([...FIRST, ASSISTANT(), RESULT], { system: 'Compacted.' }))).toBe(
      'input_diverged',
    );
    const full = responseCreateFrame(body([...FIRST, ASSISTANT(), RESULT], { tools: [] }), previous());
    expect(full.incremental).toBe(false);
    expect(full.frame.previous_response_id).toBeUndefined();
    expect((full.frame.input as unknown[]).length).toBeGreaterThan(1);
  });

  it('per-turn telemetry (client_metadata) does not break a continuation', () => {
    const next = body([...FIRST, ASSISTANT(), RESULT]);
    next.client_metadata = { ...next.client_metadata, turn_id: 'another-turn' };
    expect(continuationMismatch(previous(), next)).toBeNull();
  });

  it('codex.rate_limits reads like the x-codex-* headers', () => {
    const snapshot = parseLimitHeaders(rateLimitEventHeaders(RATE_LIMITS_EVENT), new Date(0));
    expect(snapshot?.buckets[0]).toMatchObject({
      limitId: 'codex',
      primary: { usedPercent: 42, windowMinutes: 300, resetsAt: 1_900_000_000 },
      secondary: { usedPercent: 7.5, windowMinutes: 10080, resetsAt: 1_900_100_000 },
      credits: { hasCredits: false, unlimited: false, balance: null },
    });
  });
});
