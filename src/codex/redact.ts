/**
 * Masks anything that looks like a credential (JWTs, refresh tokens, API keys) in text that came from codex
 * (stderr, error messages) before it reaches an event, a log line or an API answer.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*/g, '[redacted-jwt]')
    .replace(/\b(rt|sk|sess)[-_][A-Za-z0-9_-]{8,}/g, '[redacted]')
    .replace(/("(?:access|refresh|id)_token"\s*:\s*")[^"]*/g, '$1[redacted]');
}
