import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID-shaped id derived from any string, so every upstream id looks like the thread UUIDs codex sends. */
function uuidFrom(value: string): string {
  const h = createHash('sha256').update(value).digest('hex');
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
