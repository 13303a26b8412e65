import { formatBar, formatPercent } from '../../shared/format.js';
import type { AccountView, StateView } from '../../shared/schemas/api.js';
import type { LimitWindow } from '../../shared/schemas/limits.js';
import { accountState, fastBadge, headlineBucket, shortAndLongWindows } from '../state/selectors.js';
import { cell, seg, type Line, type Segment, type SegmentTone } from './line.js';

export type AccountColumnKey = 'mark' | 'name' | 'email' | 'state' | 'plan' | 'model' | 'fast' | 'short' | 'long';

export interface AccountColumn {
  key: AccountColumnKey;
  title: string;
  width: number;
}

const GAP = 1;
const NAME_MAX = 20;
const EMAIL_MIN = 16;
const EMAIL_MAX = 32;

/**
 * Which columns fit in `width` and how wide each is. At 80 columns everything but the e-mail fits;
 * narrower panes drop the plan, the model, the weekly bar and fast mode, in that order. Spare
 * room goes to the name, then to an e-mail column.
 */
export function accountColumns(width: number): AccountColumn[] {
  const bar = (width >= 110 ? 10 : 5) + 5;
  let cols: AccountColumn[] = [
    { key: 'mark', title: '', width: 3 },
    { key: 'name', title: 'NAME', width: 8 },
    { key: 'state', title: 'STATE', width: 13 },
    { key: 'plan', title: 'PLAN', width: 5 },
    { key: 'model', title: 'MODEL', width: 12 },
    { key: 'fast', title: 'FAST', width: 4 },
    { key: 'short', title: '5H', width: bar },
    { key: 'long', title: 'WEEK', width: bar },
  ];
  const used = () => cols.reduce((sum, c) => sum + c.width, 0) + GAP * (cols.length - 1);
  for (const drop of ['plan', 'model', 'long', 'fast'] as const)
    if (used() > width) cols = cols.filter((c) => c.key !== drop);
  const name = cols.find((c) => c.key === 'name')!;
  const grow = Math.min(NAME_MAX - name.width, Math.max(0, width - used()));
  name.width += grow;
  const spare = width - used() - GAP;
  if (spare >= EMAIL_MIN) cols.splice(2, 0, { key: 'email', title: 'EMAIL', width: Math.min(EMAIL_MAX, spare) });
  return cols;
}

function accountHeader(cols: AccountColumn[]): Line {
  return join(cols.map((c) => [cell(c.title, c.width, 'muted')]));
}

export function usageTone(percent: number): SegmentTone {
  return percent >= 90 ? 'error' : percent >= 70 ? 'warn' : 'ok';
}

/** `██░░░  42%` in `width` characters, or a dash when the window is unknown. */
function usageCell(window: LimitWindow | null, width: number, stale: boolean): Segment[] {
  if (!window) return [cell('-', width, 'muted')];
  const pct = formatPercent(window.usedPercent).padStart(4);
  const bar = formatBar(window.usedPercent, Math.max(1, width - pct.length - 1));
  return [seg(bar, stale ? 'muted' : usageTone(window.usedPercent)), seg(' ' + pct, stale ? 'muted' : undefined)];
}

export function accountRow(
  account: AccountView,
  view: StateView | null,
  cols: AccountColumn[],
  selected: boolean,
): Line {
  const windows = shortAndLongWindows(headlineBucket(account.limits));
  const stale = account.limits?.stale ?? false;
  const state = accountState(account, view);
  // A declared function: TypeScript checks the switch covers every column key.
  function cellOf(c: AccountColumn): Segment[] {
    switch (c.key) {
      case 'mark':
        return [
          seg(selected ? '›' : ' ', 'accent', true),
          seg(account.isActive ? '★' : ' ', 'accent'),
          seg(account.isDefault ? '◆' : ' ', 'accent'),
        ];
      case 'name':
        return [cell(account.name, c.width, selected ? 'accent' : undefined, 'left', selected)];
      case 'email':
        return [cell(account.auth.email ?? '-', c.width, account.auth.email ? undefined : 'muted')];
      case 'state':
        return [cell(state.label, c.width, state.tone)];
      case 'plan':
        return [cell(account.auth.planType ?? account.limits?.planType ?? '-', c.width)];
      case 'model':
        return [cell(account.model ?? 'default', c.width, account.model ? undefined : 'muted')];
      case 'fast':
        return [cell(fastBadge(account), c.width, account.effectiveFastMode ? 'accent' : 'muted')];
      case 'short':
        return usageCell(windows.short, c.width, stale);
      case 'long':
        return usageCell(windows.long, c.width, stale);
    }
  }
  return join(cols.map(cellOf));
}

/** The rows to show when there are more accounts than lines: a window that keeps the selection in view. */
export function visibleWindow(count: number, selectedIndex: number, lines: number): { start: number; end: number } {
  if (count <= lines) return { start: 0, end: count };
  const start = Math.min(Math.max(0, selectedIndex - Math.floor(lines / 2)), count - lines);
  return { start, end: start + lines };
}

export function accountLines(view: StateView | null, selectedId: string | null, width: number, lines: number): Line[] {
  const cols = accountColumns(width);
  const accounts = view?.accounts ?? [];
  if (!view) return [accountHeader(cols), [seg('waiting for the daemon…', 'muted')]];
  if (!accounts.length) return [accountHeader(cols), [seg('no accounts yet; press a to add one', 'muted')]];
  const { start, end } = visibleWindow(
    accounts.length,
    accounts.findIndex((a) => a.id === selectedId),
    Math.max(1, lines - 1),
  );
  return [
    accountHeader(cols),
    ...accounts.slice(start, end).map((a) => accountRow(a, view, cols, a.id === selectedId)),
  ];
}

function join(cells: Segment[][]): Line {
  return cells.flatMap((c, i) => (i ? [seg(' '.repeat(GAP)), ...c] : c));
}
