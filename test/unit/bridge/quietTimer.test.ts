import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuietTimer } from '../../../src/daemon/bridge/quietTimer.js';

describe('QuietTimer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires once the whole limit passed without a touch, counted from the last touch', () => {
    const quiet = vi.fn();
    const t = new QuietTimer(1000, quiet);
    vi.advanceTimersByTime(600);
    t.touch();
    vi.advanceTimersByTime(999);
    expect(quiet).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(quiet).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5000);
    expect(quiet).toHaveBeenCalledTimes(1);
  });

  it('touches are timestamps: one timer stays armed however many come', () => {
    const t = new QuietTimer(1000, () => {});
    for (let i = 0; i < 10_000; i++) t.touch();
    expect(vi.getTimerCount()).toBe(1);
    t.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stopped, it never fires; started again, it counts the whole limit from then', () => {
    const quiet = vi.fn();
    const t = new QuietTimer(1000, quiet);
    vi.advanceTimersByTime(900);
    t.stop();
    vi.advanceTimersByTime(5000);
    expect(quiet).not.toHaveBeenCalled();
    t.start();
    vi.advanceTimersByTime(999);
    expect(quiet).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(quiet).toHaveBeenCalledTimes(1);
  });

  it('start() on a running timer does not count as activity; from onQuiet it arms the next period', () => {
    const quiet = vi.fn();
    const t: QuietTimer = new QuietTimer(1000, () => {
      quiet();
      t.start();
    });
    vi.advanceTimersByTime(500);
    t.start();
    vi.advanceTimersByTime(500);
    expect(quiet).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2000);
    expect(quiet).toHaveBeenCalledTimes(3);
    t.stop();
  });
});
