import type { MessagesRequest } from './anthropicSchema.js';
import { claudeSessionKey, conversationKey } from './sessionKey.js';

/**
 * What the bridge needs of a Messages request before it translates it (routing, the session, the stream's
 * shape): small, so a request parsed on another thread sends only this back. Pure.
 */
export interface RequestFacts {
  model: string;
  stream: boolean;
  stopSequences: string[];
  /** The Claude session the request names (header, else `metadata.user_id`) as a UUID, or null. */
  sessionKey: string | null;
  /** `sessionKey`, else the conversation's stable stand-in (its system prompt and first message). */
  session: string;
}

export function requestFacts(req: MessagesRequest, sessionHeader: string | null | undefined): RequestFacts {
  const sessionKey = claudeSessionKey(sessionHeader, req.metadata?.user_id);
  return {
    model: req.model,
    stream: req.stream === true,
    stopSequences: req.stop_sequences ?? [],
    sessionKey,
    session: sessionKey ?? conversationKey(req.system, req.messages[0]),
  };
}
