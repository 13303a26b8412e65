import type { InflightTracker } from './bridge/trackInflight.js';
import { reduceHeap } from './reduceHeap.js';

export interface ReleaseMemoryOptions {
  /** How long the bridge stays without a request in flight before memory is given back. */
  quietMs: number;
  /** Growth of the resident set since the last release below which a release is not worth its cost. */
  minGainBytes: number;
  /** The resident set size now (bytes). */
  rss?: () => number;
  release?: () => unknown;
}

export interface MemoryRelease {
  /**
   * A connection closed (a client's, or one to the backend). Connections left idle in keep-alive pools by a burst
   * close seconds after the release that followed it, and what they held (socket buffers, parsers, TLS state) can
   * only go back then: measured, 1.5 MB of the daemon's resident set 10 s after bench/bridge.mjs's 20k-delta
   * streams. So once a release has run in a quiet spell, the release runs again `quietMs` after the last
   * connection that closed in it, whatever the growth; one wave of closes makes one release.
   */
  connectionClosed(): void;
  stop(): void;
}

/**
 * A burst of traffic leaves the daemon holding memory it no longer needs: V8 keeps its young generation at the size
 * the burst grew it to (32 MB after a 20k-delta stream) and the old-generation pages it filled, and nothing in an
 * idle process triggers the collection that would give them back. Once the bridge has had no request in flight for
 * `quietMs` after traffic (the start counts as traffic), one memory-reducing collection runs. Measured with
 * bench/bridge.mjs on the built daemon: idle RSS 68.4 → 59.1 MB, RSS 10 s after the 20k-delta streams 118 → 77 MB
 * (what stays is mostly glibc's heap, freed but fragmented); it pauses the idle loop for 20–50 ms.
 * It has a cost afterwards: V8 restarts from a small heap and sizes the old generation's limit from what is live,
 * so it collects more often than a fresh process, which defers every old-generation collection until a large
 * initial limit (in the bench's c=64 rounds a daemon without the release let its old space fill to 32 MB, mostly
 * garbage, and never collected it). Measured: the first request after a quiet gap +0.8 ms; after a release between
 * c=64 bursts, CPU per request +40 % over the next 3000 requests; in bench/bridge.mjs, where only the release after
 * start precedes the latency rounds, the proxy CPU ratio at c=64 ~2.0 → ~2.2 of the floor's. So it runs only when
 * the resident set grew by `minGainBytes` since the last release (always the first time): after bursts that grew the
 * heap, not after every request of a steady session; and once more when such a burst's connections have closed
 * (`connectionClosed`).
 */
export function releaseMemoryWhenIdle(inflight: InflightTracker, opts: ReleaseMemoryOptions): MemoryRelease {
  const { quietMs, minGainBytes, rss = () => process.memoryUsage.rss(), release = reduceHeap } = opts;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let quiet = true;
  let releasedAt = -Infinity; // the resident set after the last release
  let releasedThisQuiet = false;
  const runRelease = () => {
    releasedThisQuiet = true;
    // Memory is only given back: a failure here must not reach the daemon's crash handler.
    Promise.resolve()
      .then(release)
      .then(() => (releasedAt = rss()))
      .catch(() => {});
  };
  /** Runs `fn` after `quietMs` of quiet, replacing what was waiting. */
  const after = (fn: () => void) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, quietMs);
    timer.unref();
  };
  const arm = () => {
    quiet = true;
    after(() => {
      if (rss() - releasedAt >= minGainBytes) runRelease();
    });
  };
  inflight.watch({
    busy: () => {
      quiet = false;
      releasedThisQuiet = false;
      if (timer) clearTimeout(timer);
      timer = null;
    },
    idle: arm,
  });
  arm();
  return {
    connectionClosed: () => {
      if (quiet && releasedThisQuiet) after(runRelease);
    },
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
