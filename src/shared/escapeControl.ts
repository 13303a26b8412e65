/**
 * Text from outside (a client's model string, an upstream's error page) must not steer a terminal or forge a
 * log line: C0/C1 control bytes, DEL, line and paragraph separators and bidi overrides become visible escapes.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  return NAMED[ch] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
}

/** One line of text: every control character escaped, newlines included. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** Multi-line text (a log file, a stack): newlines and tabs stay, every other control character is escaped. */
export function escapeControlKeepLines(text: string): string {
  return text.replace(CONTROL_BUT_LINES, escapeOne);
}
