import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import { CodexModelSchema, type CodexModel } from '../shared/schemas/codexModel.js';
import { errorMessage } from '../shared/errors.js';
import { withCatalogueFacts } from '../translate/codexModels.js';

/** On disk: the bundled catalogue of the codex binary it came from, so a restart has it before codex answers. */
const CacheFileSchema = z.object({
  codex: z.object({ path: z.string(), version: z.string() }),
  models: z.array(CodexModelSchema),
});
type CacheFile = z.infer<typeof CacheFileSchema>;

export interface ModelCatalogOptions {
  /** Where the bundled catalogue is kept between runs. */
  cacheFile: string;
  /** The account's `model/list` through its app-server (bounded by the app-server's request timeout). */
  list: (accountId: string) => Promise<CodexModel[]>;
  /** The installed codex and its bundled catalogue (`codex debug models --bundled`). */
  bundled: () => Promise<{ codex: CacheFile['codex']; models: () => Promise<CodexModel[]> }>;
  /** A list or the bundled catalogue was read (what depends on models, like Claude Code's settings, follows). */
  onUpdate?: () => void;
  /** A background read failed (the daemon logs it); `accountId` is null for the bundled catalogue. */
  onError?: (message: string, accountId: string | null) => void;
  /** An account's list is read again after this long (default 5 min). */
  ttlMs?: number;
  /** After a failed read, the next try waits this long; meanwhile the failure is the answer (default 60 s). */
  retryMs?: number;
  /** A background read starts this long after the request that wanted it, off that request's path (default 1 s). */
  refreshDelayMs?: number;
  now?: () => number;
}

type Entry = { at: number; models: CodexModel[] } | { failedAt: number; error: Error };

/**
 * Model lists without waiting on the control plane. The bridge asks `available()`, which answers at once: the
 * account's last `model/list`, else the catalogue bundled with codex (kept on disk), else null (the built-in one);
 * a missing or stale list is read in the background, a little later. `list()` (the `models` command) waits for
 * a fresh one. A failed read is remembered for `retryMs`, so a broken codex costs one attempt, not one per request.
 */
export class ModelCatalog {
  readonly #opts: ModelCatalogOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #reading = new Map<string, Promise<CodexModel[]>>();
  readonly #scheduled = new Set<string>();
  readonly #now: () => number;
  #bundled: CacheFile | null;

  constructor(opts: ModelCatalogOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#bundled = readCache(opts.cacheFile);
  }

  /** The best list at hand right now; schedules a background read when the account's is missing or old. */
  available(accountId: string): CodexModel[] | null {
    const entry = this.#entries.get(accountId);
    if (!entry || this.#due(entry)) this.#schedule(accountId);
    if (entry && 'models' in entry) return entry.models;
    return this.#bundled?.models ?? null;
  }

  /** The account's `model/list`, read now unless fresh (concurrent callers share one read). */
  list(accountId: string): Promise<CodexModel[]> {
    const entry = this.#entries.get(accountId);
    if (entry && !this.#due(entry))
      return 'models' in entry ? Promise.resolve(entry.models) : Promise.reject(entry.error);
    let reading = this.#reading.get(accountId);
    if (!reading) {
      reading = this.#opts.list(accountId).then(
        (listed) => {
          const models = withCatalogueFacts(listed, this.#bundled?.models ?? null);
          this.#entries.set(accountId, { at: this.#now(), models });
          this.#opts.onUpdate?.();
          return models;
        },
        (err: unknown) => {
          const error = err instanceof Error ? err : new Error(String(err));
          const before = this.#entries.get(accountId);
          // A list read before stays in use; the failure only delays the next try.
          this.#entries.set(
            accountId,
            before && 'models' in before ? { ...before, at: this.#now() } : { failedAt: this.#now(), error },
          );
          throw error;
        },
      );
      const settled = reading.finally(() => this.#reading.delete(accountId));
      settled.catch(() => {});
      this.#reading.set(accountId, reading);
    }
    return reading;
  }

  /** The account is gone (removed, logged in again): its list is read afresh next time. */
  forget(accountId: string): void {
    this.#entries.delete(accountId);
  }

  /** Reads the bundled catalogue again if the installed codex is not the one the cached catalogue came from. */
  async refreshBundled(): Promise<void> {
    try {
      const { codex, models } = await this.#opts.bundled();
      const cached = this.#bundled?.codex;
      if (cached?.path === codex.path && cached.version === codex.version) return;
      this.#bundled = { codex, models: await models() };
      writeCache(this.#opts.cacheFile, this.#bundled);
      for (const [id, entry] of this.#entries)
        if ('models' in entry)
          this.#entries.set(id, { ...entry, models: withCatalogueFacts(entry.models, this.#bundled.models) });
      this.#opts.onUpdate?.();
    } catch (err) {
      this.#opts.onError?.(`could not read codex's bundled model catalogue: ${errorMessage(err)}`, null);
    }
  }

  #due(entry: Entry): boolean {
    const age = this.#now() - ('models' in entry ? entry.at : entry.failedAt);
    return age >= ('models' in entry ? (this.#opts.ttlMs ?? 5 * 60_000) : (this.#opts.retryMs ?? 60_000));
  }

  #schedule(accountId: string): void {
    if (this.#scheduled.has(accountId) || this.#reading.has(accountId)) return;
    this.#scheduled.add(accountId);
    setTimeout(() => {
      this.#scheduled.delete(accountId);
      this.list(accountId).catch((err: unknown) => this.#opts.onError?.(errorMessage(err), accountId));
    }, this.#opts.refreshDelayMs ?? 1000).unref();
  }
}

function readCache(file: string): CacheFile | null {
  try {
    const parsed = CacheFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // none yet, or unreadable: the next refresh writes a new one
  }
}

function writeCache(file: string, data: CacheFile): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
  renameSync(tmp, file);
}
