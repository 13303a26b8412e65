import type { RateLimitSnapshot, RateLimitsReadResult } from '../../codex/appServerProtocol.js';
import { limitsFromAppServer, mergeRateLimitsUpdate } from '../../codex/limitsFromAppServer.js';
import type { Exhaustion } from '../../limits/exhaustion.js';
import { addSample, forecastExhaustion, type UsageSample } from '../../limits/forecastExhaustion.js';
import { limitsStaleness } from '../../limits/limitsStaleness.js';
import { mergeLimits, withReadError } from '../../limits/mergeLimits.js';
import { parseLimitHeaders, type HeaderSource } from '../../limits/parseLimitHeaders.js';
import { errorMessage } from '../../shared/errors.js';
import type { AccountView } from '../../shared/schemas/api.js';
import type { EventInput } from '../../shared/schemas/events.js';
import type { LimitBucket, LimitsSnapshot, WindowForecast } from '../../shared/schemas/limits.js';
import { loadLimitsFile, saveLimitsFile } from './limitsFile.js';

export interface LimitsKeeperOptions {
  /** `<data>/limits.json` */
  file: string;
  /** `account/rateLimits/read` through the account's app-server. */
  read(accountId: string): Promise<RateLimitsReadResult>;
  /** Accounts worth reading now: enabled and logged in. */
  readableAccounts(): string[];
  /** A TUI or `limits --watch` is attached, so fresher numbers are worth an app-server run. */
  attached(): boolean;
  nameOf(accountId: string): string;
  log(event: EventInput): void;
  changed(): void;
  now?: () => number;
  /** Active-read period while something is attached (5 min) and otherwise (30 min). */
  attachedIntervalMs?: number;
  idleIntervalMs?: number;
  /** How often the schedule is checked. */
  tickMs?: number;
}

const PERSIST_DELAY_MS = 1000;

/**
 * Every account's last known limits. Passive: each upstream response's x-codex-* headers and codex's
 * `account/rateLimits/updated` notifications are merged in at no cost. Active: `account/rateLimits/read`
 * at start, on request and on a schedule. A failed read keeps the last data and marks it stale; the
 * account stays usable. Snapshots survive restarts in limits.json, marked `persisted` (hence stale), and
 * so do the marks of a 429 `usage_limit_reached` until their reset: the upstream said so, no read did.
 */
export class LimitsKeeper {
  readonly #opts: LimitsKeeperOptions;
  readonly #now: () => number;
  readonly #snapshots: Map<string, LimitsSnapshot>;
  readonly #exhausted: Map<string, Exhaustion>;
  readonly #lastRead = new Map<string, number>();
  readonly #reading = new Map<string, Promise<LimitsSnapshot | null>>();
  /** Recent used-percent readings per account and window (`limitId/slot`), for the forecasts. Memory only. */
  readonly #samples = new Map<string, Map<string, UsageSample[]>>();
  #timer: NodeJS.Timeout | null = null;
  #version = 0;
  #persistTimer: NodeJS.Timeout | null = null;
  #ticking = false;

  constructor(opts: LimitsKeeperOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    const saved = loadLimitsFile(opts.file);
    if (saved.setAside)
      opts.log({
        level: 'warn',
        category: 'limits',
        message: `${opts.file} was unreadable (${saved.setAside.reason}); kept it as ${saved.setAside.movedTo} and started without saved limits (each account's are read again)`,
      });
    this.#snapshots = saved.snapshots;
    for (const [id, snap] of this.#snapshots) this.#snapshots.set(id, { ...snap, source: 'persisted' });
    this.#exhausted = saved.exhausted;
  }

  /**
   * Goes up with every change of snapshots, marks or samples: what was worked out from them (the routing) is stale
   * once it moved.
   */
  get version(): number {
    return this.#version;
  }

  /** The account's last usage-limit mark while its reset is still ahead. */
  exhaustion(accountId: string): Exhaustion | null {
    const mark = this.#exhausted.get(accountId);
    return mark && mark.until > this.#now() ? mark : null;
  }

  /** The upstream answered 429 `usage_limit_reached`: out of rotation until `mark.until`. The caller announces it. */
  markExhausted(accountId: string, mark: Exhaustion): void {
    this.#exhausted.set(accountId, mark);
    this.#version++;
    this.#schedulePersist();
  }

  /** The account served a request: any usage-limit mark is over. True when there was one. */
  clearExhausted(accountId: string): boolean {
    if (!this.#exhausted.delete(accountId)) return false;
    this.#version++;
    this.#schedulePersist();
    return true;
  }

  get(accountId: string): LimitsSnapshot | null {
    return this.#snapshots.get(accountId) ?? null;
  }

  /** The snapshot as the state view shows it, with its staleness and forecasts. */
  view(accountId: string): AccountView['limits'] {
    const snap = this.get(accountId);
    return snap ? { ...snap, ...limitsStaleness(snap, this.#now()), forecasts: this.forecasts(accountId) } : null;
  }

  /** The windows that run out before their reset at the current pace. */
  forecasts(accountId: string): WindowForecast[] {
    const series = this.#samples.get(accountId);
    const snap = this.get(accountId);
    if (!series || !snap) return [];
    const out: WindowForecast[] = [];
    for (const b of snap.buckets) {
      for (const slot of ['primary', 'secondary'] as const) {
        const w = b[slot];
        const samples = series.get(`${b.limitId}/${slot}`);
        if (!w || !samples) continue;
        const at = forecastExhaustion(samples, w.resetsAt === null ? null : w.resetsAt * 1000, this.#now());
        if (at !== null) out.push({ limitId: b.limitId, slot, exhaustsAt: at });
      }
    }
    return out;
  }

  /** Passive update from one upstream response (`BridgeDeps.onUpstreamHeaders`). */
  onHeaders(accountId: string, headers: HeaderSource): void {
    const parsed = parseLimitHeaders(headers, new Date(this.#now()));
    if (!parsed) return;
    this.#sample(accountId, parsed.buckets);
    this.#set(accountId, mergeLimits(this.get(accountId), parsed, 'partial'));
  }

  /** `account/rateLimits/updated`: a sparse bucket to merge into the last snapshot. */
  onUpdated(accountId: string, update: RateLimitSnapshot): void {
    const merged = mergeRateLimitsUpdate(this.get(accountId), update, new Date(this.#now()));
    this.#sample(
      accountId,
      merged.buckets.filter((b) => b.limitId === (update.limitId ?? 'codex')),
    );
    this.#set(accountId, merged);
  }

  /** Only fresh readings are samples: a failed read or a merge's untouched buckets say nothing new. */
  #sample(accountId: string, buckets: readonly LimitBucket[]): void {
    let series = this.#samples.get(accountId);
    if (!series) this.#samples.set(accountId, (series = new Map()));
    this.#version++;
    const at = this.#now();
    for (const b of buckets) {
      for (const slot of ['primary', 'secondary'] as const) {
        const w = b[slot];
        if (!w) continue;
        const key = `${b.limitId}/${slot}`;
        series.set(key, addSample(series.get(key) ?? [], { at, usedPercent: w.usedPercent }));
      }
    }
  }

  /** Reads the account's limits through codex now (one read at a time per account). */
  refresh(accountId: string): Promise<LimitsSnapshot | null> {
    const running = this.#reading.get(accountId);
    if (running) return running;
    const read = this.#read(accountId).finally(() => this.#reading.delete(accountId));
    this.#reading.set(accountId, read);
    return read;
  }

  async #read(accountId: string): Promise<LimitsSnapshot | null> {
    this.#lastRead.set(accountId, this.#now());
    try {
      const result = await this.#opts.read(accountId);
      const fetchedAt = new Date(this.#now()).toISOString();
      const read = limitsFromAppServer(result, fetchedAt);
      this.#sample(accountId, read.buckets);
      this.#set(accountId, mergeLimits(this.get(accountId), read, 'complete'));
    } catch (err) {
      const message = errorMessage(err);
      this.#set(accountId, withReadError(this.get(accountId), message, new Date(this.#now())));
      this.#opts.log({
        level: 'warn',
        category: 'limits',
        accountId,
        message: `could not read the limits of ${this.#opts.nameOf(accountId)} (${message}); keeping the last known numbers, marked stale`,
      });
    }
    return this.get(accountId);
  }

  /** Starts the schedule: every readable account is read now, then every 5 or 30 minutes. */
  start(): void {
    void this.#tick();
    this.#timer = setInterval(() => void this.#tick(), this.#opts.tickMs ?? 60_000);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      const interval = this.#opts.attached()
        ? (this.#opts.attachedIntervalMs ?? 5 * 60_000)
        : (this.#opts.idleIntervalMs ?? 30 * 60_000);
      // One at a time: each read may start an app-server process.
      for (const id of this.#opts.readableAccounts()) {
        const last = this.#lastRead.get(id);
        if (last === undefined || this.#now() - last >= interval) await this.refresh(id);
      }
    } finally {
      this.#ticking = false;
    }
  }

  forget(accountId: string): void {
    this.#snapshots.delete(accountId);
    this.#samples.delete(accountId);
    this.#exhausted.delete(accountId);
    this.#lastRead.delete(accountId);
    this.#version++;
    this.#schedulePersist();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    if (this.#persistTimer) this.#persist();
  }

  #set(accountId: string, snapshot: LimitsSnapshot): void {
    this.#snapshots.set(accountId, snapshot);
    this.#version++;
    this.#opts.changed();
    this.#schedulePersist();
  }

  #schedulePersist(): void {
    if (this.#persistTimer) return;
    this.#persistTimer = setTimeout(() => this.#persist(), PERSIST_DELAY_MS);
    this.#persistTimer.unref();
  }

  #persist(): void {
    if (this.#persistTimer) clearTimeout(this.#persistTimer);
    this.#persistTimer = null;
    for (const [id, mark] of this.#exhausted) if (mark.until <= this.#now()) this.#exhausted.delete(id);
    try {
      saveLimitsFile(this.#opts.file, { snapshots: this.#snapshots, exhausted: this.#exhausted });
    } catch (err) {
      this.#opts.log({
        level: 'warn',
        category: 'limits',
        message: `could not save ${this.#opts.file}: ${errorMessage(err)}`,
      });
    }
  }
}
