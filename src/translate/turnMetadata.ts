import { type ThreadIdentity, windowId } from './sessionKey.js';

/**
 * Codex's `x-codex-turn-metadata` (header, and again in `client_metadata`), holding only the fields that are
 * true for a bridged request, in codex 0.169's key order (test/fixtures/codex-capture). Left out on purpose:
 * codex's turn ids, sandbox, approval and analytics fields, which ccbridge would have to make up.
 */
export interface TurnMetadataInput {
  thread: ThreadIdentity;
  installationId: string;
  model: string;
  effort: string;
}

export function turnMetadata(i: TurnMetadataInput): string {
  const { thread } = i;
  return JSON.stringify({
    installation_id: i.installationId,
    session_id: thread.sessionId,
    thread_id: thread.threadId,
    window_id: windowId(thread),
    window_number: 0,
    request_kind: 'turn',
    ...(thread.parentThreadId
      ? { parent_thread_id: thread.parentThreadId, subagent_kind: SUBAGENT_KIND, thread_source: 'subagent' }
      : { thread_source: 'user' }),
    model: i.model,
    reasoning_effort: i.effort,
  });
}

/** What codex calls a spawned child thread (`subagent_kind`), the closest kin of a Claude Code subagent. */
const SUBAGENT_KIND = 'thread_spawn';
/** Codex's `x-openai-subagent` value for a spawned child thread. */
export const SUBAGENT_HEADER_VALUE = 'collab_spawn';
