import type { Stats } from '../shared/schemas/api.js';

const today = (now: Date) => now.toISOString().slice(0, 10);

/** Requests and tokens for the current UTC day; resets itself when the day changes. */
export class DailyStats {
  #stats: Stats;

  constructor(now = new Date()) {
    this.#stats = DailyStats.#empty(today(now));
  }

  static #empty(day: string): Stats {
    return { day, requests: 0, errors: 0, inputTokens: 0, outputTokens: 0 };
  }

  record(entry: { ok: boolean; inputTokens?: number; outputTokens?: number }, now = new Date()): void {
    const s = this.get(now);
    s.requests += 1;
    if (!entry.ok) s.errors += 1;
    s.inputTokens += entry.inputTokens ?? 0;
    s.outputTokens += entry.outputTokens ?? 0;
  }

  get(now = new Date()): Stats {
    if (this.#stats.day !== today(now)) this.#stats = DailyStats.#empty(today(now));
    return this.#stats;
  }
}
