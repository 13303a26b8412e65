import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUILTIN_MODELS } from '../../../src/translate/codexModels.js';
import { encodeReasoningSignature } from '../../../src/translate/reasoningSignature.js';
import { REQUEST_ENCODING } from '../../../src/translate/encodeRequestBody.js';
import type { RecordedRequest } from '../../fakes/codexBackend.js';
import { DEFAULT_CANDIDATE, startBridge, TOKEN, type BridgeHarness } from '../../helpers/bridgeHarness.js';

// The bridge's upstream request for a real Claude Code turn (test/fixtures/claude-code) against what the real
// codex 0.169 sends (test/fixtures/codex-capture, bench/capture-codex.mjs): the same top-level keys in the same
// order, the same header names in the same order, the same item shapes. Codex's own per-turn bookkeeping (item
// ids, `internal_chat_message_metadata_passthrough`, its verbosity choice) is what the comparison leaves out.

type Json = Record<string, unknown>;
type CapturedRequest = { kind: string; headers: [string, string][]; body: Json & { input: Json[] } };
const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8'));
/** The capture's tool round trip: its last request carries reasoning, a call and its output. */
const captured = (name: string): CapturedRequest =>
  (fixture(`codex-capture/${name}`).records as CapturedRequest[]).filter((r) => r.kind === 'http').at(-1)!;

/** Keys codex adds for itself: its item ids and history bookkeeping, and the status it echoes from the server. */
const CODEX_ONLY_ITEM_KEYS = new Set(['id', 'internal_chat_message_metadata_passthrough', 'status']);
/** Top-level keys Claude Code gives no cause for: codex's own verbosity choice. */
const UNUSED_TOP_LEVEL = new Set(['text']);
/** Headers node:http adds itself, and codex's remote-compaction flag (a feature the bridge does not have). */
const NOT_OURS = new Set(['host', 'content-length', 'connection', 'x-codex-beta-features']);

const itemKeys = (item: Json) => Object.keys(item).filter((k) => !CODEX_ONLY_ITEM_KEYS.has(k));
const shapeKey = (item: Json) => (item.type === 'message' ? `message/${String(item.role)}` : String(item.type));
const headerNames = (names: string[]) =>
  names.filter((k) => !NOT_OURS.has(k) && (REQUEST_ENCODING || k !== 'content-encoding'));

let h: BridgeHarness;
beforeAll(async () => {
  h = await startBridge();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.reset());

/** The recorded Claude Code tool round trip, its thinking signed by this account so the reasoning replays. */
async function bridgedClaudeCodeTurn(): Promise<RecordedRequest> {
  const cc = fixture('claude-code/tool-round-trip.json') as { headers: [string, string][]; body: Json };
  const body = JSON.parse(
    JSON.stringify(cc.body).replace(
      'ccbridge-fake-sig',
      encodeReasoningSignature(DEFAULT_CANDIDATE.accountId, 'gAAAA'),
    ),
  );
  const skip = new Set(['authorization', 'host', 'content-length', 'connection', 'accept-encoding']);
  const headers = Object.fromEntries(cc.headers.filter(([k]) => !skip.has(k.toLowerCase())));
  const res = await fetch(`${h.baseUrl}/v1/messages?beta=true`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  await res.text();
  return h.backend.requests.at(-1)!;
}

function expectSameShape(ours: RecordedRequest, codex: CapturedRequest): void {
  const body = ours.body as Json & { input: Json[] };
  expect(Object.keys(body)).toEqual(Object.keys(codex.body).filter((k) => !UNUSED_TOP_LEVEL.has(k)));
  expect(headerNames(ours.headerOrder)).toEqual(headerNames(codex.headers.map(([k]) => k)));

  const codexItems = new Map<string, Json>();
  for (const item of codex.body.input) if (!codexItems.has(shapeKey(item))) codexItems.set(shapeKey(item), item);
  const seen = new Set<string>();
  for (const item of body.input) {
    const theirs = codexItems.get(shapeKey(item));
    expect(theirs, `codex sends no ${shapeKey(item)} item`).toBeDefined();
    expect(itemKeys(item), shapeKey(item)).toEqual(itemKeys(theirs!));
    if (item.type === 'message') {
      const partTypes = (m: Json) => new Set((m.content as Json[]).map((p) => p.type));
      expect([...partTypes(item)].every((t) => partTypes(theirs!).has(t))).toBe(true);
    }
    seen.add(shapeKey(item));
  }
  // The turn exercises every shape a tool round trip has.
  expect([...seen]).toEqual(
    expect.arrayContaining(['message/developer', 'message/user', 'reasoning', 'function_call', 'function_call_output']),
  );
  expect(body.reasoning).toEqual(
    Object.fromEntries(Object.keys(codex.body.reasoning as Json).map((k) => [k, (body.reasoning as Json)[k]])),
  );
}

describe('the upstream request for a real Claude Code turn has codex 0.169’s shape', () => {
  it('gpt-5.5: keys, headers and items as the capture, tools in `tools`', async () => {
    const ours = await bridgedClaudeCodeTurn();
    expect((ours.body as Json).model).toBe('gpt-5.5');
    expectSameShape(ours, captured('gpt-5.5.json'));
    const codexTool = (captured('gpt-5.5.json').body.tools as Json[])[0]!;
    for (const tool of (ours.body as { tools: Json[] }).tools)
      expect(Object.keys(tool)).toEqual(Object.keys(codexTool));
  });

  it('gpt-6.1-sol (use_responses_lite): the lite header, reasoning.context, tools as an additional_tools item', async () => {
    const sol = { ...BUILTIN_MODELS[0]!, id: 'gpt-6.1-sol', model: 'gpt-6.1-sol', useResponsesLite: true };
    h.state.models = [sol];
    const ours = await bridgedClaudeCodeTurn();
    const codex = captured('gpt-6.1-sol.json');
    expect((ours.body as Json).model).toBe('gpt-6.1-sol');
    expectSameShape(ours, codex);
    expect(ours.headers['x-openai-internal-codex-responses-lite']).toBe('true');
    const [ourTools, codexTools] = [ours.body.input[0], codex.body.input[0]!] as { tools: Json[] }[];
    expect(itemKeys(ourTools as unknown as Json)).toEqual(itemKeys(codexTools as unknown as Json));
    const namespace = (t: { tools: Json[] }) => t.tools.find((x) => x.type === 'namespace' && x.name === 'functions')!;
    expect(Object.keys(namespace(ourTools!))).toEqual(Object.keys(namespace(codexTools!)));
    const codexFunction = (namespace(codexTools!).tools as Json[]).find((t) => t.type === 'function')!;
    for (const tool of namespace(ourTools!).tools as Json[])
      expect(Object.keys(tool)).toEqual(Object.keys(codexFunction));
  });
});
