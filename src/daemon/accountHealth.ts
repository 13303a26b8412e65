/**
 * What upstream answers taught the daemon about each account, with an expiry: a 429
 * `usage_limit_reached` (out of rotation until its reset) and a 5xx / overload (a short cool-down).
 * In memory only: after a restart the persisted limits snapshot still shows a full window.
 */

export const COOLDOWN_MS = 60_000;

export interface HealthMarks {
  exhaustedUntil: number | null;
  exhaustedReason: string | null;
  cooldownUntil: number | null;
  cooldownReason: string | null;
}

const NONE: HealthMarks = { exhaustedUntil: null, exhaustedReason: null, cooldownUntil: null, cooldownReason: null };

export class AccountHealthBook {
  readonly #marks = new Map<string, HealthMarks>();

  get(accountId: string): HealthMarks {
    return this.#marks.get(accountId) ?? NONE;
  }

  markExhausted(accountId: string, until: number, reason: string): void {
    this.#marks.set(accountId, { ...this.get(accountId), exhaustedUntil: until, exhaustedReason: reason });
  }

  markCooldown(accountId: string, until: number, reason: string): void {
    this.#marks.set(accountId, { ...this.get(accountId), cooldownUntil: until, cooldownReason: reason });
  }

  /** A request went through (whatever kept the account out is over), or the account is gone. */
  clear(accountId: string): void {
    this.#marks.delete(accountId);
  }
}
