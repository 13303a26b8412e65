import type { UpstreamEvent } from './upstreamEvents.js';

/**
 * One upstream SSE message → an event. Delta events are nearly all of a response and a full JSON.parse of
 * each cost more than the rest of the translation together, so for them only the two fields the translator
 * reads (`item_id`, `delta`) are sliced out of the raw JSON (anything unexpected falls back to JSON.parse),
 * and events whose payload nothing reads are not parsed at all.
 */
const DELTA_EVENTS = new Set([
  'response.output_text.delta',
  'response.reasoning_summary_text.delta',
  'response.function_call_arguments.delta',
  'response.refusal.delta',
]);

/**
 * `{type, item_id, delta}` sliced out of a delta event's JSON, or null when a field is missing (then
 * JSON.parse decides). These events are flat objects, so the first `"delta":"` is the field: a quote inside
 * a string value is always escaped, so no value can contain the marker.
 */
function fastDelta(type: string, data: string): UpstreamEvent | null {
  const at = data.indexOf('"delta":"');
  if (at < 0) return null;
  const open = at + 8; // the value's opening quote
  let close = open;
  for (;;) {
    close = data.indexOf('"', close + 1);
    if (close < 0) return null;
    let backslashes = 0;
    while (data.charCodeAt(close - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) break;
  }
  const idAt = data.indexOf('"item_id":"');
  if (idAt < 0) return null;
  const idEnd = data.indexOf('"', idAt + 11);
  if (idEnd < 0) return null;
  const itemId = data.slice(idAt + 11, idEnd);
  const raw = data.slice(open + 1, close);
  // Ids never carry escapes; a delta usually does not, and then the slice is already the text.
  if (itemId.includes('\\')) return null;
  return { type, item_id: itemId, delta: raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw };
}

/** Events whose payload the translation never reads (the `.done` twins repeat what the deltas said). */
const PAYLOAD_UNUSED = new Set([
  'response.in_progress',
  'response.content_part.added',
  'response.content_part.done',
  'response.output_text.done',
  'response.refusal.done',
  'response.reasoning_summary_part.done',
  'response.reasoning_summary_text.done',
  'response.function_call_arguments.done',
  // Citations and searches are read from their items' `output_item.done` (streamTranslator.ts).
  'response.output_text.annotation.added',
  'response.web_search_call.in_progress',
  'response.web_search_call.searching',
  'response.web_search_call.completed',
]);

/**
 * Every event type the bridge tests for, each held as the string literal itself. A type read off the wire is a new
 * string each time, and each Set lookup or `switch` case on it hashed or compared its 20-odd characters again: four
 * or five times per event on its way through (parse, first-output wait, translator), which showed in the profile.
 * Swapped for the literal once, on arrival, every later test on it compares a pointer.
 */
const KNOWN_TYPES = new Map(
  [
    ...DELTA_EVENTS,
    ...PAYLOAD_UNUSED,
    'response.created',
    'response.output_item.added',
    'response.output_item.done',
    'response.reasoning_summary_part.added',
    'response.completed',
    'response.incomplete',
    'response.failed',
    'error',
    'codex.rate_limits',
  ].map((type) => [type, type]),
);

/** The literal for a known event type; an unknown one as it came. */
function knownEventType(type: string): string {
  return KNOWN_TYPES.get(type) ?? type;
}

export function parseUpstreamEvent(eventName: string | undefined, data: string): UpstreamEvent | null {
  const name = eventName && knownEventType(eventName);
  if (name) {
    if (PAYLOAD_UNUSED.has(name)) return { type: name };
    if (DELTA_EVENTS.has(name)) {
      const fast = fastDelta(name, data);
      if (fast) return fast;
    }
  }
  try {
    const ev = JSON.parse(data) as UpstreamEvent;
    if (!ev || typeof ev !== 'object') return null;
    if (!ev.type && name) ev.type = name;
    else if (typeof ev.type === 'string') ev.type = knownEventType(ev.type);
    return ev;
  } catch {
    return null; // keep-alive comments or `[DONE]`-style sentinels carry no event
  }
}

const TYPE_FIRST = '{"type":"';

/**
 * One WebSocket frame's text → an event. The type is read off the front when the frame starts with it, as the
 * backend's frames do, so a delta or an unread event skips the full JSON.parse as it does over SSE.
 */
export function parseUpstreamFrame(text: string): UpstreamEvent | null {
  let type: string | undefined;
  if (text.startsWith(TYPE_FIRST)) {
    const end = text.indexOf('"', TYPE_FIRST.length);
    const raw = end < 0 ? '' : text.slice(TYPE_FIRST.length, end);
    if (raw && !raw.includes('\\')) type = raw;
  }
  const ev = parseUpstreamEvent(type, text);
  return ev && typeof ev.type === 'string' ? ev : null;
}
