import { fstatSync, statSync } from 'node:fs';
import { BatchedAppender } from '../core/batchedAppender.js';
import type { CcbEvent, EventLevel } from '../shared/schemas/events.js';

const ORDER: Record<EventLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function logLevel(env: Record<string, string | undefined> = process.env): EventLevel {
  const v = env.CCBRIDGE_LOG_LEVEL?.toLowerCase();
  return v && v in ORDER ? (v as EventLevel) : 'info';
}

/** One line per event for the daemon log / foreground terminal. Event messages are already redacted and escaped. */
export function formatLogLine(e: CcbEvent): string {
  return `${e.time} ${e.level.padEnd(5)} ${e.category.padEnd(11)} ${e.message}${e.accountId ? ` [${e.accountId}]` : ''}`;
}

export function shouldLog(level: EventLevel, min: EventLevel): boolean {
  return ORDER[level] >= ORDER[min];
}

export interface DaemonLogOutput {
  write(line: string): void;
  close(): void;
}

/**
 * Where the daemon's log lines go. A detached daemon's stdout and stderr are `daemon.log` (the starter opens it):
 * then the daemon appends to it itself, batched, and rotates it while running by copy-and-truncate, so stderr
 * (crash output) keeps landing in `daemon.log`. In a terminal or under systemd, lines go to stdout.
 */
export function openDaemonLog(logFile: string, maxBytes: number): DaemonLogOutput {
  if (stdoutIs(logFile)) {
    const file = new BatchedAppender(logFile, { maxBytes, rotate: 'copy-truncate' });
    return { write: (line) => file.append(`${line}\n`), close: () => file.close() };
  }
  return terminalLog();
}

/**
 * A terminal or systemd: the lines of one turn of the event loop go out in one write (a busy daemon logs a
 * `proxy` line per request; one synchronous write each showed in the profile). Queued lines are written at exit
 * too, so a crash's last lines are not lost. Straight to stdout, not `console.log`: Node hands every console call
 * to V8's inspector as well, which keeps the last 1000 messages (up to 10 MB) in memory, process-wide, for a
 * debugger that may attach; a foreground daemon held ~0.9 MB of old log batches that way.
 */
function terminalLog(): DaemonLogOutput {
  let queue: string[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    if (!queue.length) return;
    const lines = `${queue.join('\n')}\n`;
    queue = [];
    process.stdout.write(lines);
  };
  process.on('exit', flush);
  return {
    write: (line) => {
      queue.push(line);
      scheduled ??= setImmediate(flush);
    },
    close: () => {
      flush();
      process.off('exit', flush);
    },
  };
}

function stdoutIs(file: string): boolean {
  try {
    const out = fstatSync(1);
    const st = statSync(file);
    return out.isFile() && out.ino === st.ino && out.dev === st.dev;
  } catch {
    return false;
  }
}
