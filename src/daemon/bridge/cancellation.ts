/**
 * A cheap one-shot cancel signal. Per-request AbortControllers showed up in the bridge's profile (Node 20
 * makes every AbortSignal transferable), so the hot path uses this instead.
 */
export class Cancellation {
  cancelled = false;
  private handlers: (() => void)[] = [];

  onCancel(fn: () => void): void {
    if (this.cancelled) fn();
    else this.handlers.push(fn);
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const fn of this.handlers.splice(0)) fn();
  }
}
