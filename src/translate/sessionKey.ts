import { hash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID-shaped id derived from any string, so every upstream id looks like the thread UUIDs codex sends. */
function uuidFrom(value: string): string {
  const h = hash('sha256', value, 'hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function sessionFromUserId(userId: string): string | null {
  // Claude Code ≥2.1.78 sends a JSON string {device_id, account_uuid, session_id}; older clients a plain id.
  if (userId.startsWith('{')) {
    try {
      const parsed = JSON.parse(userId) as { session_id?: unknown };
      if (typeof parsed.session_id === 'string' && parsed.session_id) return parsed.session_id;
    } catch {
      // not JSON after all: use the raw value below
    }
  }
  return userId;
}

/**
 * The Claude session a request belongs to (`x-claude-code-session-id`, else `metadata.user_id`), as a UUID.
 * It keys the upstream prompt cache and the session headers, and lets the router keep a session on one
 * account. Null when the client names no session.
 */
export function claudeSessionKey(
  headerSessionId: string | null | undefined,
  metadataUserId: string | null | undefined,
): string | null {
  const raw = headerSessionId || (metadataUserId ? sessionFromUserId(metadataUserId) : null);
  if (!raw) return null;
  return UUID.test(raw) ? raw.toLowerCase() : uuidFrom(raw);
}

/**
 * A stable stand-in for a client that names no session (the SDK without `metadata.user_id`): every turn of one
 * conversation starts with the same system prompt and first message, so it keeps one prompt cache key and
 * session id instead of a new random one per request, which would cache nothing.
 */
export function conversationKey(system: unknown, firstMessage: unknown): string {
  return uuidFrom(`conversation/${JSON.stringify([system ?? null, firstMessage ?? null])}`);
}

/**
 * The upstream thread a request belongs to, identified the way codex 0.169 identifies its threads
 * (test/fixtures/codex-capture): `session-id` is the conversation's session, `thread-id`, the request id and
 * the window id name the thread. A Claude Code subagent (`x-claude-code-agent-id`) is its own thread of the
 * parent's session, as a codex `spawn_agent` child is: own thread id, window and prompt cache key, the
 * session's thread as its parent.
 */
export interface ThreadIdentity {
  /** The Claude session as a UUID: the same for the session's subagents. */
  sessionId: string;
  /** The session itself, or the subagent's own thread (stable across the subagent's turns). */
  threadId: string;
  /** A subagent's parent: the session's main thread. Null for the main conversation. */
  parentThreadId: string | null;
}

export function threadIdentity(sessionId: string, agentId: string | null | undefined): ThreadIdentity {
  if (!agentId) return { sessionId, threadId: sessionId, parentThreadId: null };
  return { sessionId, threadId: uuidFrom(`${sessionId}/agent/${agentId}`), parentThreadId: sessionId };
}

/** Codex's context window id: the thread and the window number, which only a compaction would advance. */
export function windowId(thread: ThreadIdentity): string {
  return `${thread.threadId}:0`;
}
