/**
 * Short cool-downs the upstream's answers put accounts in: a 5xx / overload, throttling, an unknown error.
 * In memory only, they last a minute or so; usage-limit marks, which last until a reset, live (and persist)
 * in the limits keeper.
 */

export const COOLDOWN_MS = 60_000;

export interface HealthMarks {
  cooldownUntil: number | null;
  cooldownReason: string | null;
}

const NONE: HealthMarks = { cooldownUntil: null, cooldownReason: null };

export class AccountHealthBook {
  readonly #marks = new Map<string, HealthMarks>();
  /** Goes up with every change: what was worked out from the marks (the routing) is stale once it moved. */
  version = 0;

  get(accountId: string): HealthMarks {
    return this.#marks.get(accountId) ?? NONE;
  }

  markCooldown(accountId: string, until: number, reason: string): void {
    this.#marks.set(accountId, { cooldownUntil: until, cooldownReason: reason });
    this.version++;
  }

  /** A request went through (whatever kept the account out is over), or the account is gone. True when there was a mark. */
  clear(accountId: string): boolean {
    if (!this.#marks.delete(accountId)) return false;
    this.version++;
    return true;
  }
}
