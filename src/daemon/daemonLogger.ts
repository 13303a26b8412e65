import type { CcbEvent, EventLevel } from '../shared/schemas/events.js';

const ORDER: Record<EventLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function logLevel(env: Record<string, string | undefined> = process.env): EventLevel {
  const v = env.CCBRIDGE_LOG_LEVEL?.toLowerCase();
  return v && v in ORDER ? (v as EventLevel) : 'info';
}

/** One line per event for the daemon log / foreground terminal. Events are already redacted. */
export function formatLogLine(e: CcbEvent): string {
  return `${e.time} ${e.level.padEnd(5)} ${e.category.padEnd(11)} ${e.message}${e.accountId ? ` [${e.accountId}]` : ''}`;
}

export function shouldLog(level: EventLevel, min: EventLevel): boolean {
  return ORDER[level] >= ORDER[min];
}
