import { CcbridgeError } from '../shared/errors.js';
import type { ClaudeEnv } from '../shared/schemas/integration.js';

type JsonObject = Record<string, unknown>;

export type SettingsChange = { kind: 'apply'; env: ClaudeEnv } | { kind: 'remove' };

export interface SettingsPlan {
  /** The file's next content; the old text itself (byte for byte) when nothing changes. */
  text: string | null;
  changed: boolean;
  /** Env keys ccbridge manages after the change. */
  keys: string[];
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses a Claude Code settings file. A missing or blank file is an empty object; anything that is
 * not a JSON object (or has a non-object `env`) is refused, so ccbridge never rewrites what it can't read.
 */
export function parseSettings(text: string | null, path: string): JsonObject {
  if (text === null || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CcbridgeError(
      'settings_invalid',
      `${path} is not valid JSON (${(err as Error).message}); fix it by hand (ccbridge left it untouched) and run again`,
    );
  }
  if (!isObject(parsed))
    throw new CcbridgeError(
      'settings_invalid',
      `${path} does not hold a JSON object; fix it by hand (ccbridge left it untouched)`,
    );
  if (parsed.env !== undefined && !isObject(parsed.env)) {
    throw new CcbridgeError(
      'settings_invalid',
      `"env" in ${path} is not an object; fix it by hand (ccbridge left it untouched)`,
    );
  }
  return parsed;
}

/**
 * Sets ccbridge's env keys and drops the ones it wrote before but no longer writes. Every other key,
 * and every other env var, keeps its value and position.
 */
export function mergeEnv(settings: JsonObject, env: ClaudeEnv, previousKeys: readonly string[]): JsonObject {
  const current = isObject(settings.env) ? settings.env : {};
  const next: JsonObject = {};
  for (const [key, value] of Object.entries(current)) {
    if (Object.hasOwn(env, key)) next[key] = env[key];
    else if (!previousKeys.includes(key)) next[key] = value;
  }
  for (const [key, value] of Object.entries(env)) next[key] = value;
  return { ...settings, env: next };
}

/** Takes out the env keys ccbridge wrote; an `env` left empty goes too. */
export function removeEnv(settings: JsonObject, keys: readonly string[]): JsonObject {
  if (!isObject(settings.env)) return settings;
  const rest = Object.fromEntries(Object.entries(settings.env).filter(([key]) => !keys.includes(key)));
  if (Object.keys(rest).length) return { ...settings, env: rest };
  return Object.fromEntries(Object.entries(settings).filter(([key]) => key !== 'env'));
}

/** Claude Code's own layout: two-space JSON and a final newline. */
export function serializeSettings(settings: JsonObject): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}

/**
 * Plans the change of one settings file. When the result means the same as the current content,
 * the text is returned unchanged so the file is not rewritten (and keeps the user's formatting).
 */
export function planSettings(
  oldText: string | null,
  change: SettingsChange,
  previousKeys: readonly string[],
  path: string,
): SettingsPlan {
  const before = parseSettings(oldText, path);
  if (change.kind === 'remove') {
    const after = removeEnv(before, previousKeys);
    const changed = oldText !== null && JSON.stringify(after) !== JSON.stringify(before);
    return { text: changed ? serializeSettings(after) : oldText, changed, keys: [] };
  }
  const after = mergeEnv(before, change.env, previousKeys);
  const changed = oldText === null || JSON.stringify(after) !== JSON.stringify(before);
  return { text: changed ? serializeSettings(after) : oldText, changed, keys: Object.keys(change.env) };
}

/**
 * Env keys a settings file sets to something else than `env`. Claude Code lets a settings `env` block
 * override the process environment, so these would defeat an env injected by `ccbridge claude`.
 */
export function overriddenKeys(text: string | null, env: ClaudeEnv): string[] {
  let fileEnv: unknown;
  try {
    fileEnv = text ? (JSON.parse(text) as JsonObject).env : undefined;
  } catch {
    return [];
  }
  if (!isObject(fileEnv)) return [];
  return Object.keys(env).filter((key) => Object.hasOwn(fileEnv, key) && fileEnv[key] !== env[key]);
}
