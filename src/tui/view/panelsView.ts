import type { AccountView } from '../../shared/schemas/api.js';
import type { LoginSession } from '../../shared/schemas/auth.js';
import { KEY_HELP, LEGEND } from '../input/keyHelp.js';
import { isLoginFinished, loginUrl } from '../state/selectors.js';
import type { ModelChoice } from '../state/tuiState.js';
import { visibleWindow } from './accountColumns.js';
import { cell, oneLine, seg, textLength, type Line } from './line.js';

/** The help overlay: two columns of key bindings when there is room, then the legend. */
export function helpLines(width: number): Line[] {
  const keyWidth = Math.max(...KEY_HELP.map((k) => textLength(k.keys))) + 2;
  const entry = (k: (typeof KEY_HELP)[number], w: number): Line => [
    cell(k.keys, keyWidth, 'accent', 'left', true),
    cell(k.does, w - keyWidth),
  ];
  const lines: Line[] = [];
  if (width >= 76) {
    const half = Math.ceil(KEY_HELP.length / 2);
    const colWidth = Math.floor((width - 2) / 2);
    for (let i = 0; i < half; i++) {
      const left = KEY_HELP[i]!;
      const right = KEY_HELP[i + half];
      lines.push([...entry(left, colWidth), seg('  '), ...(right ? entry(right, colWidth) : [])]);
    }
  } else {
    for (const k of KEY_HELP) lines.push(entry(k, width));
  }
  lines.push([], [seg(LEGEND, 'muted')], [seg('press any key to close', 'muted')]);
  return lines;
}

/** `c`: choose how to log in. */
export function connectLines(account: AccountView): Line[] {
  return [
    [seg(`Connect ${account.name} to a ChatGPT account:`, undefined, true)],
    [],
    [cell('b', 4, 'accent', 'left', true), seg('browser login: opens a sign-in URL (this machine)')],
    [cell('d', 4, 'accent', 'left', true), seg('device code: sign in from any other device')],
    [],
    [seg('esc cancel', 'muted')],
  ];
}

const SESSION_STATE: Record<LoginSession['state'], string> = {
  starting: 'starting…',
  waiting: 'waiting for you to finish signing in…',
  succeeded: 'connected',
  failed: 'failed',
  cancelled: 'cancelled',
  timed_out: 'timed out',
};

/** A live login session: what to do with the URL (shown under the panel) or device code, and how far it got. */
export function loginLines(account: AccountView, session: LoginSession | null): Line[] {
  const lines: Line[] = [
    [
      seg(`Login for ${account.name}`, undefined, true),
      seg(session ? ` · ${session.kind === 'device' ? 'device code' : 'browser'}` : '', 'muted'),
    ],
  ];
  if (!session) return [...lines, [seg('starting…', 'muted')], [], [seg('esc close', 'muted')]];
  const tone =
    session.state === 'succeeded'
      ? 'ok'
      : session.state === 'waiting' || session.state === 'starting'
        ? 'warn'
        : 'error';
  lines.push([seg('state: ', 'muted'), seg(SESSION_STATE[session.state], tone)]);
  if (session.error) lines.push([seg(oneLine(session.error), 'error')]);
  const url = loginUrl(session);
  if (session.state === 'succeeded') {
    lines.push([seg(`signed in${account.auth.email ? ` as ${account.auth.email}` : ''}`, 'ok')]);
  } else if (session.userCode || session.verificationUrl) {
    lines.push(
      [],
      [seg('1. open  ', 'muted'), seg(url ? 'the URL under this box, on any device' : '(waiting for the URL)')],
    );
    lines.push([seg('2. enter ', 'muted'), seg(session.userCode ?? '(waiting for the code)', 'accent', true)]);
  } else if (url) {
    lines.push([], [seg('Open the URL under this box in a browser on this machine (o opens it)', 'muted')]);
  }
  lines.push(
    [],
    [
      seg(
        isLoginFinished(session) ? 'esc close' : 'esc close (the login keeps running) · o open in browser · x cancel',
        'muted',
      ),
    ],
  );
  return lines;
}

/** `m`: the account's models, the current one preselected. */
export function modelLines(account: AccountView, choices: ModelChoice[] | null, index: number, height: number): Line[] {
  const head: Line[] = [
    [seg(`Model for ${account.name}`, undefined, true), seg(` · now ${account.model ?? 'the default model'}`, 'muted')],
  ];
  if (!choices) return [...head, [seg('loading the model list…', 'muted')]];
  const foot: Line[] = [[seg('↑↓ choose · enter set · esc cancel', 'muted')]];
  const room = Math.max(1, height - head.length - foot.length);
  const { start, end } = visibleWindow(choices.length, index, room);
  const rows = choices.slice(start, end).map((c, i): Line => {
    const selected = start + i === index;
    const current = c.id === account.model;
    return [
      seg(selected ? '› ' : '  ', 'accent', true),
      seg(c.label, selected ? 'accent' : undefined, selected),
      seg(current ? '  (current)' : '', 'muted'),
    ];
  });
  return [...head, ...rows, ...foot];
}
