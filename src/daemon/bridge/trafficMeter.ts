import type { Traffic } from '../../shared/schemas/api.js';
import type { LiveRequest, ProxyOutcome } from './bridgeDeps.js';

/** The rate is over this many seconds, one bucket per second. */
const WINDOW_S = 60;
/** In-flight requests listed in the state view (the count covers the rest). */
const LISTED = 20;

interface Bucket {
  second: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

/**
 * The bridge's live traffic for the state view: the requests in flight, and requests and tokens over a
 * sliding last minute. A request costs a map entry while it runs and a few additions when it ends (the
 * per-second buckets are allocated once); listing and summing happen only when a view is built.
 */
export class TrafficMeter {
  readonly #now: () => number;
  readonly #live = new Map<ProxyOutcome, LiveRequest>();
  readonly #buckets: Bucket[] = Array.from({ length: WINDOW_S }, () => ({
    second: -1,
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
  }));
  #lastFinish = Number.NEGATIVE_INFINITY;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  started(request: LiveRequest): void {
    this.#live.set(request.outcome, request);
  }

  finished(o: ProxyOutcome): void {
    this.#live.delete(o);
    const now = this.#now();
    const second = Math.floor(now / 1000);
    const bucket = this.#buckets[second % WINDOW_S]!;
    if (bucket.second !== second) {
      bucket.second = second;
      bucket.requests = bucket.inputTokens = bucket.outputTokens = 0;
    }
    bucket.requests += 1;
    bucket.inputTokens += o.inputTokens;
    bucket.outputTokens += o.outputTokens;
    this.#lastFinish = now;
  }

  /** Something to show changing: a request in flight, or one that finished within the window. */
  get active(): boolean {
    return this.#live.size > 0 || this.#now() - this.#lastFinish < WINDOW_S * 1000;
  }

  snapshot(): Traffic {
    const now = this.#now();
    const from = Math.floor(now / 1000) - WINDOW_S;
    const lastMinute = { requests: 0, inputTokens: 0, outputTokens: 0 };
    for (const b of this.#buckets) {
      if (b.second <= from) continue;
      lastMinute.requests += b.requests;
      lastMinute.inputTokens += b.inputTokens;
      lastMinute.outputTokens += b.outputTokens;
    }
    const inflight = [];
    // A Map iterates in insertion order: the oldest requests come first.
    for (const r of this.#live.values()) {
      if (inflight.length === LISTED) break;
      const o = r.outcome;
      inflight.push({
        requestId: o.requestId,
        accountId: o.accountId,
        accountName: o.accountName,
        model: o.model ?? o.requestedModel,
        stream: o.stream,
        startedAt: new Date(r.startedAt).toISOString(),
        outputTokens: r.outputTokensSoFar(),
      });
    }
    return { inflight, inflightCount: this.#live.size, lastMinute };
  }
}
