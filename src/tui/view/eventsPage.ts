import { formatClock, formatCount } from '../../shared/format.js';
import type { CcbEvent } from '../../shared/schemas/events.js';
import { filterEvents } from '../state/selectors.js';
import type { EventFilter } from '../state/tuiState.js';
import { cell, oneLine, seg, type Line, type SegmentTone } from './line.js';

const LEVEL_TONE: Record<CcbEvent['level'], SegmentTone | undefined> = {
  debug: 'muted',
  info: undefined,
  warn: 'warn',
  error: 'error',
};

/** The "(12 in, 3 out, 840 ms)" a request event's message ends with: shown as facts instead. */
const REQUEST_TAIL = / \(\d+ in, \d+ out, \d+ ms\)$/;

/** "200 · 12.3k→456 tok · 840 ms" for a request event (category proxy, its numbers in data), else null. */
function requestFacts(e: CcbEvent): string | null {
  const d = e.data as
    | { status?: unknown; inputTokens?: unknown; outputTokens?: unknown; durationMs?: unknown }
    | undefined;
  if (e.category !== 'proxy' || !d) return null;
  const { status, inputTokens, outputTokens, durationMs } = d;
  if (typeof status !== 'number' || typeof inputTokens !== 'number' || typeof outputTokens !== 'number') return null;
  const ms =
    typeof durationMs === 'number'
      ? ` · ${durationMs < 10_000 ? `${durationMs} ms` : `${(durationMs / 1000).toFixed(1)} s`}`
      : '';
  return `${status} · ${formatCount(inputTokens)}→${formatCount(outputTokens)} tok${ms}`;
}

/** The category column's width, and where the message starts: after clock, level, category and their spaces. */
export function eventColumns(width: number): { category: number; head: number } {
  const category = width >= 70 ? 11 : 7;
  return { category, head: 9 + 5 + 1 + category + 1 };
}

export interface EventsPage {
  lines: Line[];
  /** Matching events hidden above (older) and below (newer) the page. */
  older: number;
  newer: number;
}

/** The page of the event stream to show: newest at the bottom, `scroll` lines up from it. */
export function eventsPage(
  events: readonly CcbEvent[],
  filter: EventFilter,
  query: string,
  scroll: number,
  width: number,
  lines: number,
): EventsPage {
  const matching = filterEvents(events, filter, query);
  if (!matching.length) {
    const kind = filter === 'all' ? 'events' : `${filter} events`;
    const empty = query.trim() ? `no ${kind} match "${query.trim()}"` : `no ${kind} yet`;
    return { lines: [[seg(empty, 'muted')]], older: 0, newer: 0 };
  }
  const newer = Math.min(Math.max(0, scroll), Math.max(0, matching.length - lines));
  const end = matching.length - newer;
  const start = Math.max(0, end - lines);
  const { category, head } = eventColumns(width);
  return {
    lines: matching.slice(start, end).map((e) => {
      const facts = requestFacts(e);
      const message = oneLine(facts ? e.message.replace(REQUEST_TAIL, '') : e.message);
      return [
        seg(formatClock(e.time) + ' ', 'muted'),
        cell(e.level, 5, LEVEL_TONE[e.level]),
        seg(' '),
        cell(e.category, category, 'accent'),
        seg(' '),
        // A request's status, tokens and latency are pinned right: a long model or error text is what gets cut.
        ...(facts
          ? [
              cell(message, Math.max(0, width - head - facts.length - 1), LEVEL_TONE[e.level]),
              seg(' '),
              seg(facts, LEVEL_TONE[e.level]),
            ]
          : [seg(message, LEVEL_TONE[e.level])]),
      ];
    }),
    older: start,
    newer,
  };
}
