import { formatClock } from '../../shared/format.js';
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
  scroll: number,
  width: number,
  lines: number,
): EventsPage {
  const matching = filterEvents(events, filter);
  if (!matching.length) {
    const empty = filter === 'all' ? 'no events yet' : `no ${filter} events yet`;
    return { lines: [[seg(empty, 'muted')]], older: 0, newer: 0 };
  }
  const newer = Math.min(Math.max(0, scroll), Math.max(0, matching.length - lines));
  const end = matching.length - newer;
  const start = Math.max(0, end - lines);
  const category = width >= 70 ? 11 : 7;
  return {
    lines: matching
      .slice(start, end)
      .map((e) => [
        seg(formatClock(e.time) + ' ', 'muted'),
        cell(e.level, 5, LEVEL_TONE[e.level]),
        seg(' '),
        cell(e.category, category, 'accent'),
        seg(' '),
        seg(oneLine(e.message), LEVEL_TONE[e.level]),
      ]),
    older: start,
    newer,
  };
}
