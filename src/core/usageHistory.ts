import { existsSync, readFileSync, renameSync } from 'node:fs';
import { chmod, rename, writeFile } from 'node:fs/promises';
import { UsageFileSchema, type UsageCounts, type UsageFile, type UsageReport } from '../shared/schemas/usage.js';
import { localDate, localDateBefore } from '../shared/localDate.js';
import type { Stats } from '../shared/schemas/api.js';
import { addCounts, EMPTY_COUNTS } from './usageCounts.js';

export interface UsageHistoryOptions {
  /** `<data>/usage.json` */
  file: string;
  now?: () => number;
  /** How long a change waits in memory before it is written: what a `kill -9` may lose. */
  flushMs?: number;
  keepDays?: number;
  onError?(message: string): void;
}

/**
 * Per account and local day: requests, tokens, errors, failovers. Recording only adds in memory (the
 * request path never waits on the disk); a timer writes the whole file every `flushMs` while something
 * changed, to a temp file renamed over the old one, so a crash loses at most that much and never leaves
 * half a file. Days older than `keepDays` are dropped as it writes.
 */
export class UsageHistory {
  readonly #file: string;
  readonly #now: () => number;
  readonly #flushMs: number;
  readonly #keepDays: number;
  readonly #onError: (message: string) => void;
  #data: UsageFile;
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> | null = null;
  #dirty = false;

  constructor(opts: UsageHistoryOptions) {
    this.#file = opts.file;
    this.#now = opts.now ?? Date.now;
    this.#flushMs = opts.flushMs ?? 2000;
    this.#keepDays = opts.keepDays ?? 90;
    this.#onError = opts.onError ?? (() => {});
    this.#data = this.#load();
  }

  #load(): UsageFile {
    if (!existsSync(this.#file)) return { version: 1, days: {} };
    try {
      return UsageFileSchema.parse(JSON.parse(readFileSync(this.#file, 'utf8')));
    } catch (err) {
      // Written by rename only, so this is someone else's edit: keep it for them, start a new history.
      const aside = `${this.#file}.unreadable-${Date.now()}`;
      renameSync(this.#file, aside);
      this.#onError(`${this.#file} could not be read (${(err as Error).message}); moved aside to ${aside}`);
      return { version: 1, days: {} };
    }
  }

  /** Adds to the account's counts for today. */
  record(accountId: string, name: string, delta: Partial<UsageCounts>): void {
    const day = localDate(this.#now());
    const accounts = (this.#data.days[day] ??= {});
    const entry = (accounts[accountId] ??= { ...EMPTY_COUNTS, name });
    entry.name = name;
    addCounts(entry, delta);
    this.#dirty = true;
    this.#schedule();
  }

  /** Today's requests, errors and tokens over every account: the state view's `stats`. */
  today(): Stats {
    const day = localDate(this.#now());
    const all = addCounts({ ...EMPTY_COUNTS }, {});
    for (const counts of Object.values(this.#data.days[day] ?? {})) addCounts(all, counts);
    return {
      day,
      requests: all.requests,
      errors: all.errors,
      inputTokens: all.inputTokens,
      outputTokens: all.outputTokens,
    };
  }

  /** Ids in the history named `ref` (by id or by the name they had), for accounts removed since. */
  idsFor(ref: string): Set<string> {
    const ids = new Set<string>();
    for (const accounts of Object.values(this.#data.days))
      for (const [id, entry] of Object.entries(accounts))
        if (id === ref || entry.name.toLowerCase() === ref.toLowerCase()) ids.add(id);
    return ids;
  }

  /** The last `days` local days (today included), oldest first, for the accounts `only` names (all by default). */
  report(days: number, only?: ReadonlySet<string>, nameOf?: (id: string) => string | null): UsageReport {
    const now = this.#now();
    const from = localDateBefore(now, days - 1);
    return {
      days: Object.keys(this.#data.days)
        .filter((d) => d >= from)
        .sort()
        .map((date) => ({
          date,
          accounts: Object.entries(this.#data.days[date]!)
            .filter(([id]) => !only || only.has(id))
            .map(([id, { name, ...counts }]) => ({ id, name: nameOf?.(id) ?? name, ...counts })),
        }))
        .filter((d) => d.accounts.length > 0),
    };
  }

  #schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, this.#flushMs);
    this.#timer.unref();
  }

  /** Writes what changed in memory now (after any write still running). */
  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    while (this.#writing) await this.#writing;
    if (!this.#dirty) return;
    this.#dirty = false;
    const oldest = localDateBefore(this.#now(), this.#keepDays - 1);
    for (const day of Object.keys(this.#data.days)) if (day < oldest) delete this.#data.days[day];
    const content = `${JSON.stringify(this.#data)}\n`;
    const tmp = `${this.#file}.${process.pid}.tmp`;
    this.#writing = (async () => {
      try {
        await writeFile(tmp, content, { mode: 0o600 });
        await chmod(tmp, 0o600);
        await rename(tmp, this.#file);
      } catch (err) {
        this.#onError(`could not save ${this.#file}: ${(err as Error).message}`);
      } finally {
        this.#writing = null;
      }
    })();
    await this.#writing;
  }
}
