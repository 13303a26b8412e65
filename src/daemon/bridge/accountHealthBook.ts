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

  get(accountId: string): HealthMarks {
    return this.#marks.get(accountId) ?? NONE;
  }

  markCooldown(accountId: string, until: number, reason: string): void {
    this.#marks.set(accountId, { cooldownUntil: until, cooldownReason: reason });
  }

  /** A request went through (whatever kept the account out is over), or the account is gone. True when there was a mark. */
  clear(accountId: string): boolean {
    return this.#marks.delete(accountId);
  }
}
