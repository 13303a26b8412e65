import type { CodexModel } from '../../src/shared/schemas/codexModel.js';
import { parseMessagesRequest } from '../../src/translate/parseMessagesRequest.js';
import { resolveModel } from '../../src/translate/resolveModel.js';
import type { ResponsesRequest } from '../../src/translate/responsesSchema.js';
import { claudeSessionKey, threadIdentity } from '../../src/translate/sessionKey.js';
import { translateRequest } from '../../src/translate/translateRequest.js';

/**
 * Prompt-cache friendliness over a recorded Claude Code session (test/fixtures/claude-code/session.json,
 * recorded by bench/prefix-stability.mjs): each request translated as the bridge sends it upstream, and for
 * each pair of consecutive requests of one conversation thread, how much of the first one's prompt is a
 * byte-identical prefix of the second's. Shared by the benchmark and its test.
 */

/** Claude Code's request to the bridge: the body and the headers that name its session and agent. */
export interface RecordedClaudeRequest {
  headers: Record<string, string>;
  body: unknown;
}

export interface PrefixRow {
  from: number;
  to: number;
  thread: 'main' | 'subagent';
  prevBytes: number;
  sharedBytes: number;
  /** sharedBytes / prevBytes */
  kept: number;
}

/** The prompt as the model reads it and the cache keys it: tools first, then each input item, as sent. */
export function promptText(body: ResponsesRequest): string {
  return [JSON.stringify(body.tools ?? []), ...body.input.map((i) => JSON.stringify(i))].join('\n');
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Every recorded request as the bridge would send it upstream to an account with `catalogue`. */
export function upstreamBodies(requests: readonly RecordedClaudeRequest[], catalogue: readonly CodexModel[]) {
  const ctx = { accountModel: null, tierModels: { opus: null, sonnet: null, haiku: null }, available: catalogue };
  return requests.map((r) => {
    const req = parseMessagesRequest(JSON.stringify(r.body));
    const sessionKey = claudeSessionKey(r.headers['x-claude-code-session-id'], req.metadata?.user_id);
    const thread = threadIdentity(sessionKey ?? 'none', r.headers['x-claude-code-agent-id']);
    const { body } = translateRequest(req, {
      model: resolveModel(req.model, ctx),
      accountId: 'acct1',
      fastMode: false,
      thread,
      installationId: 'd318b0ab-7ffb-4aad-ae6e-91986d4207f4',
    });
    // A conversation thread: the upstream thread and the first user text (side calls such as titles differ).
    const firstUser = JSON.stringify(req.messages.find((m) => m.role === 'user')?.content ?? '').slice(0, 200);
    return { body, chain: `${thread.threadId} ${firstUser}`, subagent: thread.parentThreadId !== null };
  });
}

export function prefixStability(requests: readonly RecordedClaudeRequest[], catalogue: readonly CodexModel[]) {
  const last = new Map<string, { prompt: string; index: number }>();
  const rows: PrefixRow[] = [];
  for (const [index, { body, chain, subagent }] of upstreamBodies(requests, catalogue).entries()) {
    const prompt = promptText(body);
    const prev = last.get(chain);
    if (prev) {
      const shared = commonPrefix(prev.prompt, prompt);
      rows.push({
        from: prev.index,
        to: index,
        thread: subagent ? 'subagent' : 'main',
        prevBytes: prev.prompt.length,
        sharedBytes: shared,
        kept: shared / prev.prompt.length,
      });
    }
    last.set(chain, { prompt, index });
  }
  return rows;
}
