import type { LimitBucket, LimitsSnapshot, LimitWindow } from '../shared/schemas/limits.js';

/**
 * The `x-codex-*` rate-limit headers of one upstream response → a (partial) limits snapshot, the
 * way codex reads them (codex.md §8, `codex-api/src/rate_limits.rs`): the `codex` family always,
 * plus every family announced by an `x-<id>-primary-used-percent` header (`x-codex-other-…` → limit
 * id `codex_other`). Credits are account-wide headers that codex attaches to every family.
 */

/** Fetch `Headers`, or node's `IncomingHttpHeaders`-like record. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

interface HeaderReader {
  get(name: string): string | undefined;
  names(): string[];
}

function readerOf(source: HeaderSource): HeaderReader {
  if (source instanceof Headers) {
    return { get: (name) => source.get(name) ?? undefined, names: () => [...source.keys()] };
  }
  const lower = new Map<string, string>();
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined) lower.set(key.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  }
  return { get: (name) => lower.get(name), names: () => [...lower.keys()] };
}

const text = (h: HeaderReader, name: string): string | null => {
  const value = h.get(name)?.trim();
  return value ? value : null;
};

function float(h: HeaderReader, name: string): number | null {
  const raw = text(h, name);
  if (raw === null) return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

function int(h: HeaderReader, name: string): number | null {
  const raw = text(h, name);
  return raw !== null && /^-?\d+$/.test(raw) ? Number(raw) : null;
}

function bool(h: HeaderReader, name: string): boolean | null {
  const raw = text(h, name)?.toLowerCase();
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return null;
}

/** `codex_other` ⇄ header prefix `x-codex-other`. */
const limitIdOf = (family: string) => family.trim().toLowerCase().replace(/-/g, '_');
const prefixOf = (limitId: string) => `x-${limitId.toLowerCase().replace(/_/g, '-')}`;

function window(h: HeaderReader, prefix: string, slot: 'primary' | 'secondary'): LimitWindow | null {
  const usedPercent = float(h, `${prefix}-${slot}-used-percent`);
  if (usedPercent === null) return null;
  const windowMinutes = int(h, `${prefix}-${slot}-window-minutes`);
  const resetsAt = int(h, `${prefix}-${slot}-reset-at`);
  // codex drops an all-zero window: the backend sends one for limits that do not apply.
  if (usedPercent === 0 && !windowMinutes && resetsAt === null) return null;
  return { usedPercent, windowMinutes, resetsAt };
}

function credits(h: HeaderReader): LimitBucket['credits'] {
  const hasCredits = bool(h, 'x-codex-credits-has-credits');
  const unlimited = bool(h, 'x-codex-credits-unlimited');
  if (hasCredits === null || unlimited === null) return null;
  return { hasCredits, unlimited, balance: text(h, 'x-codex-credits-balance') };
}

const FAMILY = /^x-(.+)-primary-used-percent$/;

/**
 * Every limit family in the headers, `codex` first. Null when the response carries no rate-limit
 * data at all (most non-Codex answers), so callers never overwrite a snapshot with nothing.
 */
export function parseLimitHeaders(source: HeaderSource, now: Date): LimitsSnapshot | null {
  const h = readerOf(source);
  const ids = new Set<string>(['codex']);
  for (const name of h
    .names()
    .map((n) => n.toLowerCase())
    .sort()) {
    const family = FAMILY.exec(name)?.[1];
    if (family) ids.add(limitIdOf(family));
  }
  const activeLimit = text(h, 'x-codex-active-limit');
  const activeId = activeLimit ? limitIdOf(activeLimit) : 'codex';
  const reachedType = text(h, 'x-codex-rate-limit-reached-type');
  const shared = credits(h);

  const buckets: LimitBucket[] = [];
  for (const limitId of ids) {
    const prefix = prefixOf(limitId);
    const bucket: LimitBucket = {
      limitId,
      limitName: text(h, `${prefix}-limit-name`),
      primary: window(h, prefix, 'primary'),
      secondary: window(h, prefix, 'secondary'),
      credits: shared,
      // The reached type describes the limit that blocked this request: the active family's.
      reachedType: limitId === activeId ? reachedType : null,
    };
    if (bucket.primary || bucket.secondary || bucket.credits || bucket.reachedType) buckets.push(bucket);
  }
  if (buckets.length === 0 && !activeLimit) return null;
  return {
    source: 'headers',
    fetchedAt: now.toISOString(),
    planType: null,
    activeLimit: activeLimit ? activeId : null,
    buckets,
    error: null,
  };
}

/** The headers parseLimitHeaders reads (the per-response ids and the rest are not among them). */
const LIMIT_HEADER =
  /^x-.+-(?:(?:primary|secondary)-(?:used-percent|window-minutes|reset-at)|limit-name|credits-[a-z-]+|active-limit|rate-limit-reached-type)$/;

/**
 * The rate-limit headers of a response as one string, to tell cheaply whether they say anything the last
 * response did not (Node's header record: lower-case names).
 */
export function limitHeadersSignature(headers: Readonly<Record<string, string | string[] | undefined>>): string {
  let sig = '';
  for (const name in headers) if (LIMIT_HEADER.test(name)) sig += `${name}=${String(headers[name])}\n`;
  return sig;
}
