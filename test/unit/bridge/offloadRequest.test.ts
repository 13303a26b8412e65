import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { offloadRequest } from '../../../src/daemon/bridge/offloadRequest.js';
import { AnthropicApiError } from '../../../src/translate/anthropicError.js';
import { BUILTIN_MODELS, findModel } from '../../../src/translate/codexModels.js';
import { parseMessagesRequest } from '../../../src/translate/parseMessagesRequest.js';
import { requestFacts } from '../../../src/translate/requestFacts.js';
import { conversationKey, threadIdentity } from '../../../src/translate/sessionKey.js';
import { translateRequest, type TranslateContext } from '../../../src/translate/translateRequest.js';

// A large request is parsed and translated away from the event loop (on the daemon's worker; from the sources,
// as here, in turns on this thread): the route must get the same facts and the same upstream body as for a
// request parsed in place.

const LONG_TOOL = `mcp__${'server'.repeat(12)}__read_file`;
const request = {
  model: 'claude-opus-4-5',
  max_tokens: 100,
  stream: true,
  stop_sequences: ['END'],
  system: 'You are Claude Code.',
  tools: [{ name: LONG_TOOL, description: 'read', input_schema: { type: 'object', properties: {} } }],
  messages: [
    { role: 'user', content: 'read it' },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: LONG_TOOL, input: { p: 1 } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'x'.repeat(5000) }] },
  ],
};
const ctx: TranslateContext = {
  model: { slug: 'gpt-5.5', info: findModel(BUILTIN_MODELS, 'gpt-5.5'), tier: null },
  accountId: 'acct1',
  fastMode: false,
  thread: threadIdentity('66d32f60-2b88-4ebb-94db-d5f77f352e9a', null),
  installationId: 'd318b0ab-7ffb-4aad-ae6e-91986d4207f4',
};

const decode = (bytes: Buffer, encoding: 'zstd' | null) =>
  JSON.parse(
    (encoding === 'zstd'
      ? (zlib as unknown as { zstdDecompressSync(b: Buffer): Buffer }).zstdDecompressSync(bytes)
      : bytes
    ).toString('utf8'),
  );

describe('offloadRequest', () => {
  it('gives the facts and the encoded body a request parsed in place would give', async () => {
    const text = JSON.stringify(request);
    const off = await offloadRequest(Buffer.from(text), null);
    const req = parseMessagesRequest(text);
    expect(off.facts).toEqual(requestFacts(req, null));
    expect(off.facts).toMatchObject({
      model: 'claude-opus-4-5',
      stream: true,
      stopSequences: ['END'],
      sessionKey: null,
    });
    expect(off.facts.session).toBe(conversationKey(req.system, req.messages[0]));

    const t = await off.encode(ctx);
    const here = translateRequest(req, ctx);
    expect(decode(t.encoded.bytes, t.encoded.contentEncoding)).toEqual(JSON.parse(JSON.stringify(here.body)));
    expect(t.head).toEqual({
      model: here.body.model,
      service_tier: here.body.service_tier,
      client_metadata: here.body.client_metadata,
    });
    expect(t.thinking).toBe(here.thinking);
    // The tool's long name was shortened upstream: the map comes back as data and restores it.
    const short = here.toolNames.toUpstream(LONG_TOOL);
    expect(short).not.toBe(LONG_TOOL);
    expect(t.renamedTools.get(short)).toBe(LONG_TOOL);
    expect(t.promptTokens).toBeGreaterThan(1000);
    off.release();
  });

  it('names the session from the header, and refuses a bad body with the same 400', async () => {
    const session = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const off = await offloadRequest(Buffer.from(JSON.stringify(request)), session);
    expect(off.facts).toMatchObject({ sessionKey: session, session });
    const bad = await offloadRequest(Buffer.from('{"model": 1, "messages": []}'), null).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AnthropicApiError);
    expect((bad as AnthropicApiError).status).toBe(400);
    expect((bad as AnthropicApiError).message).toMatch(/model/);
  });
});
