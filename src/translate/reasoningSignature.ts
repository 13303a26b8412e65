/**
 * Reasoning round trip through Anthropic's `thinking.signature`, the only field Claude Code keeps when it
 * clears old thinking (anthropic.md §7). The signature carries the upstream `encrypted_content` verbatim,
 * behind a versioned prefix and the ccbridge account it came from: encrypted reasoning only verifies on the
 * account that produced it, so a signature from another account (after a switch or failover), from Anthropic
 * or from another proxy is dropped instead of earning a 400 `invalid_encrypted_content`.
 */
const PREFIX = 'ccbridge.v1.';

export function encodeReasoningSignature(accountId: string, encryptedContent: string): string {
  return `${PREFIX}${accountId}.${encryptedContent}`;
}

/** The encrypted content if the signature is ccbridge's own for this account, else null. */
export function decodeReasoningSignature(signature: string | null | undefined, accountId: string): string | null {
  if (!signature?.startsWith(PREFIX)) return null;
  const rest = signature.slice(PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot <= 0 || rest.slice(0, dot) !== accountId) return null;
  const encrypted = rest.slice(dot + 1);
  return encrypted || null;
}
