import { createHash } from 'node:crypto';

/**
 * Upstream tool names must match `^[a-zA-Z0-9_-]{1,64}$` and call ids must be 1-64 characters
 * (codex-backend-contract.md §6); Claude Code's MCP tool names reach ~100 characters. A name that does not
 * fit becomes a readable prefix plus a hash of the original, so the same name always maps to the same short
 * one (history and tools agree without shared state) and the map built per request restores it.
 */
const MAX_LEN = 64;
const VALID = /^[a-zA-Z0-9_-]{1,64}$/;

function hash8(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

/** Deterministic upstream form of a tool name; identity for names that already fit. */
export function shortToolName(name: string): string {
  if (VALID.test(name)) return name;
  const cleaned = name.replace(/[^a-zA-Z0-9_-]/g, '_');
  return `${cleaned.slice(0, MAX_LEN - 9)}_${hash8(name)}`;
}

/** Deterministic upstream form of a call id (`toolu_…` ids fit; long or odd ids are hashed). */
export function shortCallId(id: string): string {
  if (id.length >= 1 && id.length <= MAX_LEN) return id;
  if (!id) return 'call_empty';
  return `${id.slice(0, MAX_LEN - 9)}_${hash8(id)}`;
}

export interface ToolNameMap {
  toUpstream(name: string): string;
  /** Original name for an upstream name; unknown names come back unchanged. */
  fromUpstream(name: string): string;
  /** Upstream name → original, for the names that had to change: the map as data (it crosses threads). */
  readonly renamed: ReadonlyMap<string, string>;
}

/** Builds the per-request map from every tool name the request mentions (tools and history). */
export function buildToolNameMap(names: Iterable<string>): ToolNameMap {
  const back = new Map<string, string>();
  for (const name of names) {
    const short = shortToolName(name);
    if (short !== name) back.set(short, name);
  }
  return toolNameMapOf(back);
}

/** The map again from its `renamed` entries (a request translated on another thread). */
export function toolNameMapOf(renamed: ReadonlyMap<string, string>): ToolNameMap {
  return {
    toUpstream: shortToolName,
    fromUpstream: (name) => renamed.get(name) ?? name,
    renamed,
  };
}
