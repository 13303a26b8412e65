import { join } from 'node:path';
import type { Paths } from './paths.js';

/**
 * `<data>/run/statusline.json`: what `ccbridge statusline` shows, written by the daemon whenever it changes, so
 * the statusline (run by Claude Code every few seconds) reads one small file and never waits on the daemon.
 * Plain types, no zod: the reader must start as fast as `ccbridge --version`.
 */
export interface StatusLineWindow {
  usedPercent: number;
  /** Unix ms, or null when unknown. */
  resetsAt: number | null;
}

export interface StatusLineAccount {
  id: string;
  name: string;
  /** The Codex model a new session's requests get: the account's preference, else its list's default. */
  model: string | null;
  fiveHour: StatusLineWindow | null;
  weekly: StatusLineWindow | null;
  /** The limits are old or from before a restart. */
  stale: boolean;
}

export interface StatusLineSession {
  accountId: string;
  /** The Codex model that last served the session. */
  model: string | null;
  /** Unix ms of its last request. */
  at: number;
}

export interface StatusLineSnapshot {
  version: 1;
  /** The daemon that wrote it: if it is gone, so is the bridge. */
  pid: number;
  /** Where a request without a known session goes now. */
  routeAccountId: string | null;
  accounts: StatusLineAccount[];
  /** By Claude Code session id (lower case). */
  sessions: Record<string, StatusLineSession>;
}

export const statusLineFile = (paths: Pick<Paths, 'runDir'>): string => join(paths.runDir, 'statusline.json');
