import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { activeBucket } from '../../limits/exhaustion.js';
import { BUILTIN_MODELS } from '../../translate/codexModels.js';
import { accountDefaultModel } from '../../translate/resolveModel.js';
import { limitsStaleness } from '../../limits/limitsStaleness.js';
import type { LimitsSnapshot, LimitWindow } from '../../shared/schemas/limits.js';
import type { Account } from '../../shared/schemas/state.js';
import {
  statusLineFile,
  type StatusLineAccount,
  type StatusLineSession,
  type StatusLineSnapshot,
  type StatusLineWindow,
} from '../../shared/statusLineSnapshot.js';
import type { LimitsKeeper } from '../control/limitsKeeper.js';
import type { Daemon } from '../daemon.js';

/** Bursts of changes (every response updates limits) become one write per this long. */
const WRITE_DELAY_MS = 500;
/** Sessions kept in the file: Claude Code sessions open at once, with room to spare. */
const MAX_SESSIONS = 64;

export interface StatusLineWriter {
  /** A request of Claude Code session `sessionKey` was served by `accountId` with `model`. */
  noteSession(sessionKey: string, accountId: string, model: string | null): void;
}

const toWindow = (w: LimitWindow | null | undefined): StatusLineWindow | null =>
  w ? { usedPercent: w.usedPercent, resetsAt: w.resetsAt === null ? null : w.resetsAt * 1000 } : null;

/** The 5-hour and weekly windows of the active bucket, by length when codex names it, else by slot. */
function statusAccount(a: Account, limits: LimitsSnapshot | null, model: string, now: number): StatusLineAccount {
  const bucket = activeBucket(limits);
  const windows = [bucket?.primary, bucket?.secondary].filter((w): w is LimitWindow => !!w);
  const byLength = (minutes: number) => windows.find((w) => w.windowMinutes === minutes);
  return {
    id: a.id,
    name: a.name,
    model,
    fiveHour: toWindow(byLength(300) ?? bucket?.primary),
    weekly: toWindow(byLength(10080) ?? bucket?.secondary),
    stale: limits ? limitsStaleness(limits, now).stale : false,
  };
}

/**
 * Keeps `<data>/run/statusline.json` (0600) in step with the daemon: accounts, their 5-hour and weekly
 * windows, where requests go, and which account serves each recent Claude Code session. Written after
 * changes settle (every response is one), to a temp file renamed over the old one, and only when its content
 * changed; removed when the daemon stops. It reads only what it writes: not the state view, which asks every
 * account's login and forecasts.
 */
export function startStatusLineWriter(daemon: Daemon, limits: Pick<LimitsKeeper, 'get'>): StatusLineWriter {
  const file = statusLineFile(daemon.paths);
  const sessions = new Map<string, StatusLineSession>();
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let written = '';

  const snapshot = (): StatusLineSnapshot => {
    const state = daemon.store.get();
    const now = Date.now();
    return {
      version: 1,
      pid: process.pid,
      routeAccountId: daemon.providers.routeAccountId(state),
      // The model a request of a new session gets: the account's preference, else its catalogue's default.
      accounts: state.accounts.map((a) =>
        statusAccount(
          a,
          limits.get(a.id),
          accountDefaultModel(a.model, daemon.providers.models(a.id) ?? BUILTIN_MODELS),
          now,
        ),
      ),
      sessions: Object.fromEntries(sessions),
    };
  };
  const write = async () => {
    const text = JSON.stringify(snapshot());
    if (text === written) return;
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, text, { mode: 0o600 });
      await chmod(tmp, 0o600);
      await rename(tmp, file);
      written = text;
    } catch (err) {
      daemon.log({ level: 'debug', category: 'system', message: `could not write ${file}: ${(err as Error).message}` });
    }
  };
  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      writing = writing.then(write);
    }, WRITE_DELAY_MS);
    timer.unref();
  };

  const off = daemon.onChange(schedule);
  schedule();
  daemon.onShutdown(async () => {
    off();
    if (timer) clearTimeout(timer);
    await writing;
    // A daemon that is gone must not look alive to the statusline (its pid may be reused).
    await rm(file, { force: true });
  });

  return {
    noteSession(sessionKey, accountId, model) {
      const known = sessions.get(sessionKey);
      sessions.delete(sessionKey);
      sessions.set(sessionKey, { accountId, model, at: Date.now() });
      while (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
      if (known?.accountId !== accountId || known.model !== model) schedule();
    },
  };
}
