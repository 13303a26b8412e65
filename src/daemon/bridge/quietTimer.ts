/**
 * Calls `onQuiet` once `ms` has passed without a `touch()`. A stream touches it on every upstream read or client
 * write, thousands of times a second: a touch only stores a timestamp, while `timer.refresh()` moved the timer in
 * Node's timer list each time (two refreshes per read showed in the stream profile). The one timer is armed for the
 * whole limit and, when it fires early because of touches meanwhile, re-armed for the rest of it.
 */
export class QuietTimer {
  private last = Date.now();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ms: number,
    private readonly onQuiet: () => void,
  ) {
    this.start();
  }

  /** Activity now: the quiet time starts over. */
  touch(): void {
    this.last = Date.now();
  }

  /** Counts from now again after `stop()` or `onQuiet`; a running timer is left as it is. */
  start(): void {
    if (this.timer) return;
    this.last = Date.now();
    this.timer = setTimeout(this.check, this.ms);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private readonly check = (): void => {
    const quiet = Date.now() - this.last;
    if (quiet < this.ms) {
      this.timer = setTimeout(this.check, this.ms - quiet);
      return;
    }
    this.timer = null;
    this.onQuiet();
  };
}
