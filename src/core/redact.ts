/**
 * Last line of defence so a token can never reach a client, events.jsonl or the daemon log even if a caller
 * puts one into a message by mistake: the exact secrets the process holds, then JWTs, OpenAI keys, bearer
 * values and long opaque secrets by pattern.
 */
const PATTERNS: RegExp[] = [
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{16,}/gi,
  /\b(rt|at)_[A-Za-z0-9._-]{16,}/g,
];

/**
 * The exact secrets this process holds: every account token read from an auth.json, the bridge token. Patterns
 * miss opaque tokens and a token cut in half; an exact match does not. Bounded: the oldest are forgotten first
 * (tokens rotate, a long-running daemon would otherwise keep every one it ever saw).
 */
const liveSecrets = new Set<string>();
const MAX_LIVE_SECRETS = 4096;
/** Shorter values are not secrets worth a scan (and would redact ordinary words). */
const MIN_SECRET_LENGTH = 16;

/** Registers a value as a secret: from now on it is redacted wherever this process writes or answers text. */
export function rememberSecret(value: string | null | undefined): void {
  if (!value || value.length < MIN_SECRET_LENGTH || liveSecrets.has(value)) return;
  liveSecrets.add(value);
  if (liveSecrets.size > MAX_LIVE_SECRETS) liveSecrets.delete(liveSecrets.values().next().value!);
}

/**
 * Every match of PATTERNS holds one of these: text without any (a request's log line) skips the four
 * replaces, which are run on every event the daemon logs.
 */
const PATTERN_HINT = /eyJ|sk-|bearer|[ra]t_/i;

export function redactText(text: string): string {
  let out = text;
  if (out.length >= MIN_SECRET_LENGTH)
    for (const secret of liveSecrets) if (out.includes(secret)) out = out.replaceAll(secret, '[redacted]');
  if (!PATTERN_HINT.test(out)) return out;
  for (const re of PATTERNS)
    out = out.replace(re, (_m, prefix?: string) => `${typeof prefix === 'string' ? prefix : ''}[redacted]`);
  return out;
}

const SECRET_KEY = /token|secret|password|authorization|api[-_]?key/i;

export function redactData(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(redactData);
  // Logged on every request (the `proxy` event): no entries array, and the key is tested only for strings.
  const out: Record<string, unknown> = {};
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    const v = (value as Record<string, unknown>)[k];
    // Counts such as inputTokens are numbers, not secrets.
    if (typeof v === 'string') out[k] = SECRET_KEY.test(k) ? '[redacted]' : redactText(v);
    else out[k] = typeof v === 'object' && v !== null ? redactData(v) : v;
  }
  return out;
}
