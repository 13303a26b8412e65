import { formatCount, formatDuration, joinFitting } from '../../shared/format.js';
import type { StateView } from '../../shared/schemas/api.js';
import { EVENTS_FOOTER_HINTS, FOOTER_HINTS } from '../input/keyHelp.js';
import { accountById } from '../state/selectors.js';
import type { Connection, Mode, Notice, Pane } from '../state/tuiState.js';
import { oneLine, seg, type Line, type SegmentTone } from './line.js';

function connectionBadge(connection: Connection, now: number): { text: string; tone: SegmentTone } {
  switch (connection.status) {
    case 'live':
      return { text: '● live', tone: 'ok' };
    case 'connecting':
      return { text: '◌ connecting…', tone: 'warn' };
    case 'reconnecting':
      return { text: `↻ reconnecting… ${formatDuration(now - connection.since)}`, tone: 'error' };
  }
}

/**
 * The top line: connection, bridge URL, the account requests go to and global fast mode (the routing
 * mode heads the accounts pane, traffic has the next line). Parts that do not fit are dropped, least
 * important first.
 */
export function statusLine(view: StateView | null, connection: Connection, now: number, width: number): Line {
  const connected = connectionBadge(connection, now);
  if (!view) return [seg(connected.text, connected.tone)];
  // Connected, but no request can go anywhere (every account out of quota, say): not a green "live".
  const stuck = connection.status === 'live' && view.accounts.length > 0 && !view.routeAccountId;
  const badge = stuck ? { text: '● live · no account can serve', tone: 'error' as const } : connected;
  const active = view.activeAccountId ? accountById(view, view.activeAccountId) : null;
  const route = view.routeAccountId ? accountById(view, view.routeAccountId) : null;
  // When failover moved requests off the active account, say where they go now.
  const who = active
    ? route && route.id !== active.id
      ? `★ ${active.name} → ${route.name}`
      : `★ ${active.name}`
    : route
      ? `→ ${route.name} (default)`
      : 'no account';
  const rest = joinFitting(
    [
      { text: view.bridge.url, priority: 1 },
      { text: who, priority: 2 },
      { text: `fast ${view.settings.fastMode ? 'on' : 'off'}`, priority: 3 },
    ],
    Math.max(0, width - badge.text.length - 2),
    '  ',
  );
  return [seg(badge.text, badge.tone, true), seg('  '), seg(rest)];
}

/**
 * The second line: requests in flight, the rate over the last minute, and today's totals (from the
 * daemon's usage history, so a restart does not zero them). Today's totals go first when room is short.
 */
export function trafficLine(view: StateView | null, width: number): Line {
  if (!view) return [];
  const t = view.traffic;
  const s = view.stats;
  const rate = t
    ? [
        { text: `${t.inflightCount} in flight`, priority: 0 },
        { text: `${t.lastMinute.requests} req/min`, priority: 1 },
        { text: `${formatCount(t.lastMinute.inputTokens + t.lastMinute.outputTokens)} tok/min`, priority: 2 },
      ]
    : [];
  const today = `today ${s.requests} req, ${formatCount(s.inputTokens)}/${formatCount(s.outputTokens)} tok`;
  const text = joinFitting(
    [...rate, { text: `${today}${s.errors ? `, ${s.errors} failed` : ''}`, priority: 3 }],
    Math.max(0, width - 2),
    ' · ',
  );
  const busy = (t?.inflightCount ?? 0) > 0;
  return [seg(busy ? '▸ ' : '  ', 'accent', true), seg(text, busy ? undefined : 'muted')];
}

const NOTICE_MARK: Record<Notice['tone'], { mark: string; tone: SegmentTone }> = {
  pending: { mark: '…', tone: 'muted' },
  ok: { mark: '✓', tone: 'ok' },
  error: { mark: '✗', tone: 'error' },
};

/** The bottom line: the open prompt or question, else the last result, else key hints. */
export function footerLine(args: {
  view: StateView | null;
  mode: Mode;
  /** The events filter, shown while `/` edits it. */
  query: string;
  /** The focused pane: its keys are the hints. */
  pane: Pane;
  notice: Notice | null;
  connection: Connection;
  width: number;
}): Line {
  const { view, mode, notice, connection, width, pane } = args;
  if (mode.kind === 'add' || mode.kind === 'rename') {
    const label =
      mode.kind === 'add' ? 'new account name: ' : `rename ${accountById(view, mode.accountId)?.name ?? ''} to: `;
    const hint = mode.error ? `  ${mode.error}` : `  enter ${mode.kind === 'add' ? 'add' : 'rename'} · esc cancel`;
    return [seg(label, 'accent', true), seg(mode.value), seg('▌', 'accent'), seg(hint, mode.error ? 'error' : 'muted')];
  }
  if (mode.kind === 'search') {
    return [
      seg('filter events: ', 'accent', true),
      seg(args.query),
      seg('▌', 'accent'),
      seg('  enter keep · esc clear · matches level, category, text', 'muted'),
    ];
  }
  if (mode.kind === 'confirmDelete') {
    const name = accountById(view, mode.accountId)?.name ?? 'this account';
    return [seg(`delete ${name} and its login? `, 'error', true), seg('y delete · any other key keeps it', 'muted')];
  }
  if (notice) {
    const { mark, tone } = NOTICE_MARK[notice.tone];
    return [seg(`${mark} `, tone, true), seg(oneLine(notice.text), notice.tone === 'error' ? 'error' : undefined)];
  }
  if (connection.status === 'reconnecting') {
    return [
      seg('✗ daemon unreachable', 'error', true),
      seg(' · s start it · q quit · ', 'muted'),
      seg(oneLine(connection.reason), 'muted'),
    ];
  }
  return [seg(joinFitting([...(pane === 'events' ? EVENTS_FOOTER_HINTS : FOOTER_HINTS)], width, '  '), 'muted')];
}
