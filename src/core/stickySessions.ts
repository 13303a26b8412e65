/**
 * Which account served each Claude session last, so the router keeps a session where its upstream
 * prompt cache is. Bounded: idle sessions expire, and the oldest are dropped past `max`.
 */
export class StickySessions {
  readonly #entries = new Map<string, { accountId: string; seenAt: number }>();

  constructor(private readonly opts: { ttlMs: number; max: number } = { ttlMs: 6 * 3_600_000, max: 10_000 }) {}

  get(sessionKey: string | null, now: number): string | null {
    if (!sessionKey) return null;
    const entry = this.#entries.get(sessionKey);
    if (!entry) return null;
    if (now - entry.seenAt > this.opts.ttlMs) {
      this.#entries.delete(sessionKey);
      return null;
    }
    return entry.accountId;
  }

  set(sessionKey: string | null, accountId: string, now: number): void {
    if (!sessionKey) return;
    // Re-inserting moves the key to the end, so iteration order is least recently used first.
    this.#entries.delete(sessionKey);
    this.#entries.set(sessionKey, { accountId, seenAt: now });
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.opts.max) break;
      this.#entries.delete(key);
    }
  }

  /** An account was removed: its sessions start over. */
  forgetAccount(accountId: string): void {
    for (const [key, entry] of this.#entries) if (entry.accountId === accountId) this.#entries.delete(key);
  }
}
