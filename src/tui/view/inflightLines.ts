import { formatCount, formatDuration } from '../../shared/format.js';
import type { Traffic } from '../../shared/schemas/api.js';
import { eventColumns } from './eventsPage.js';
import { cell, oneLine, seg, type Line } from './line.js';

/**
 * The requests in flight as lines under the newest events, in the events' columns: how long each has
 * run where an event has its time, then account and model, with the tokens so far pinned right (the
 * `proxy` event that replaces the line when it ends has the final count). At most `max` lines; the
 * last says how many more there are when they do not all fit.
 */
export function inflightLines(traffic: Traffic | undefined, now: number, width: number, max: number): Line[] {
  if (!traffic?.inflightCount || max <= 0) return [];
  const { category } = eventColumns(width);
  const rows = traffic.inflightCount > max ? max - 1 : max;
  const lines: Line[] = traffic.inflight.slice(0, rows).map((r) => {
    const facts = `~${formatCount(r.outputTokens)} tok so far`;
    const head = [
      cell(`+${formatDuration(now - Date.parse(r.startedAt))}`, 8, 'accent', 'right'),
      seg(' '),
      cell('live', 5, 'accent', 'left', true),
      seg(' '),
      cell('proxy', category, 'accent'),
      seg(' '),
    ];
    const used = head.reduce((n, s) => n + s.text.length, 0);
    const who = oneLine(`${r.accountName ?? 'routing…'}: ${r.model ?? '?'}`);
    return [...head, cell(who, Math.max(0, width - used - facts.length - 1)), seg(' '), seg(facts, 'accent')];
  });
  const hidden = traffic.inflightCount - lines.length;
  if (hidden > 0) lines.push([seg(`▸ ${hidden}${lines.length ? ' more' : ''} in flight`, 'accent')]);
  return lines;
}
