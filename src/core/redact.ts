/**
 * Last line of defence so a token can never reach events.jsonl or the daemon log even if a caller
 * puts one into a message by mistake: JWTs, OpenAI keys, bearer values and long opaque secrets.
 */
const PATTERNS: RegExp[] = [
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{16,}/gi,
  /\b(rt|at)_[A-Za-z0-9._-]{16,}/g,
];

export function redactText(text: string): string {
  let out = text;
  for (const re of PATTERNS)
    out = out.replace(re, (_m, prefix?: string) => `${typeof prefix === 'string' ? prefix : ''}[redacted]`);
  return out;
}

const SECRET_KEY = /token|secret|password|authorization|api[-_]?key/i;

export function redactData(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactData);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // Counts such as inputTokens are numbers, not secrets.
      out[k] = SECRET_KEY.test(k) && typeof v === 'string' ? '[redacted]' : redactData(v);
    }
    return out;
  }
  return value;
}
