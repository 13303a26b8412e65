import { formatCount, formatDuration } from '../shared/format.js';
import type { StatusLineSnapshot, StatusLineWindow } from '../shared/statusLineSnapshot.js';

/**
 * The line `ccbridge statusline` prints for Claude Code. Pure: the statusLine JSON Claude Code passes on
 * stdin (fixtures in test/fixtures/claude-code/statusline-*.json, captured from the real CLI) and the
 * daemon's snapshot in, one short line out.
 */

/** The fields of Claude Code's statusLine input this line uses; everything is optional (older versions). */
export interface StatusLineInput {
  session_id?: string;
  model?: { id?: string; display_name?: string };
  effort?: { level?: string };
  context_window?: {
    context_window_size?: number;
    current_usage?: {
      input_tokens?: number;
      cache_read_input_tokens?: number;
      cache_creation_input_tokens?: number;
    } | null;
  };
}

/** Claude Code's stdin as an object, or nothing usable: the line must never fail on odd input. */
export function parseStatusLineInput(text: string): StatusLineInput {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as StatusLineInput) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Claude Code renders ANSI colours in the statusline; NO_COLOR gets none. */
interface Paint {
  account(s: string): string;
  dim(s: string): string;
  level(s: string, percent: number): string;
}
const ansi = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const COLOR: Paint = {
  account: ansi('1;36'),
  dim: ansi('2'),
  level: (s, p) => (p >= 90 ? ansi('31') : p >= 70 ? ansi('33') : ansi('32'))(s),
};
const PLAIN: Paint = { account: (s) => s, dim: (s) => s, level: (s) => s };

/** `5h 42%`; `~42%` when the number is old (before a restart, a failed read): it may have moved since. */
function windowText(label: string, w: StatusLineWindow | null, stale: boolean, paint: Paint): string | null {
  return w ? `${label} ${stale ? '~' : ''}${paint.level(`${Math.round(w.usedPercent)}%`, w.usedPercent)}` : null;
}

/** The reset countdown of the tighter window (the fuller one), as `↻ 2h 5m`. */
function resetText(windows: Array<StatusLineWindow | null>, now: number): string | null {
  const tighter = windows
    .filter((w): w is StatusLineWindow => !!w)
    .sort((a, b) => b.usedPercent - a.usedPercent || (a.resetsAt ?? Infinity) - (b.resetsAt ?? Infinity))[0];
  if (!tighter?.resetsAt || tighter.resetsAt <= now) return null;
  return `↻ ${formatDuration(tighter.resetsAt - now).replace(/ 0[ms]$/, '')}`;
}

/** `ctx 42k/258k`: what the session's context holds of the window Claude Code assumes. */
function contextText(input: StatusLineInput): string | null {
  const cw = input.context_window;
  const u = cw?.current_usage;
  if (!cw || !u) return null;
  const used = num(u.input_tokens) + num(u.cache_read_input_tokens) + num(u.cache_creation_input_tokens);
  const size = num(cw.context_window_size);
  return size > 0 ? `ctx ${formatCount(used)}/${formatCount(size)}` : `ctx ${formatCount(used)}`;
}

/**
 * `work · gpt-5.5 high · 5h 42% · wk 7% · ↻ 2h 5m · ctx 4.2k/1M`: the account serving this session (the one
 * requests go to when the session is new), its model and effort, the 5-hour and weekly used percent with the
 * reset of the tighter, and the context in use. `snapshot` null means the daemon is not running.
 */
export function formatStatusLine(
  input: StatusLineInput,
  snapshot: StatusLineSnapshot | null,
  now: number,
  color: boolean,
): string {
  const paint = color ? COLOR : PLAIN;
  const sep = paint.dim(' · ');
  const model = str(input.model?.display_name) ?? str(input.model?.id);
  if (!snapshot) return ['ccbridge not running (ccbridge start)', model].filter(Boolean).join(sep);
  const sessionId = str(input.session_id)?.toLowerCase();
  const session = sessionId ? snapshot.sessions[sessionId] : undefined;
  const accountId = session?.accountId ?? snapshot.routeAccountId;
  const account = snapshot.accounts.find((a) => a.id === accountId);
  if (!account) return ['ccbridge: no account to route to', model].filter(Boolean).join(sep);
  const served = [session?.model ?? account.model ?? model, str(input.effort?.level)].filter(Boolean).join(' ');
  return [
    paint.account(account.name),
    served || null,
    windowText('5h', account.fiveHour, account.stale, paint),
    windowText('wk', account.weekly, account.stale, paint),
    resetText([account.fiveHour, account.weekly], now),
    contextText(input),
  ]
    .filter((p): p is string => !!p)
    .join(sep);
}
