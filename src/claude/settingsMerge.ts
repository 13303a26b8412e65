import { CcbridgeError } from '../shared/errors.js';
import type { ClaudeEnv } from '../shared/schemas/integration.js';

type JsonObject = Record<string, unknown>;

/**
 * `statusLine`: `add` ccbridge's when the user has none (apply-claude --statusline); `remove` it when it is
 * still the one ccbridge wrote (apply-claude --remove after ccbridge added it).
 */
export type SettingsChange =
  | { kind: 'apply'; env: ClaudeEnv; statusLine?: 'add' }
  | { kind: 'remove'; statusLine?: 'remove' };

/** The statusLine `apply-claude --statusline` writes. */
export const OUR_STATUS_LINE = { type: 'command', command: 'ccbridge statusline' } as const;
export type StatusLineOutcome = 'added' | 'present' | 'theirs' | 'removed';

const isOurStatusLine = (v: unknown) => JSON.stringify(v) === JSON.stringify(OUR_STATUS_LINE);

/** Adds or removes ccbridge's statusLine, never touching one of the user's own. */
export function changeStatusLine(
  settings: JsonObject,
  action: 'add' | 'remove',
): { settings: JsonObject; outcome: StatusLineOutcome | null } {
  if (action === 'remove') {
    if (!isOurStatusLine(settings.statusLine)) return { settings, outcome: null };
    return {
      settings: Object.fromEntries(Object.entries(settings).filter(([key]) => key !== 'statusLine')),
      outcome: 'removed',
    };
  }
  if (settings.statusLine === undefined)
    return { settings: { ...settings, statusLine: { ...OUR_STATUS_LINE } }, outcome: 'added' };
  return { settings, outcome: isOurStatusLine(settings.statusLine) ? 'present' : 'theirs' };
}

export interface SettingsPlan {
  /** The file's next content; the old text itself (byte for byte) when nothing changes. */
  text: string | null;
  changed: boolean;
  /** Env keys ccbridge manages after the change. */
  keys: string[];
  /** The user's own values of the keys ccbridge manages, to put back on removal (after the change). */
  replaced: Record<string, unknown>;
  /** Keys whose user value this change replaces (a value of the user's own, not one ccbridge wrote); on removal, the keys whose user value it puts back. */
  replacedNow: string[];
  /** The `env` block before and after, for the diff. */
  envBefore: JsonObject | null;
  envAfter: JsonObject | null;
  statusLine: StatusLineOutcome | null;
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
 * Sets ccbridge's env keys and drops the ones it wrote before but no longer writes, putting back the user's
 * value a dropped key replaced. Every other key, and every other env var, keeps its value and position.
 */
export function mergeEnv(
  settings: JsonObject,
  env: ClaudeEnv,
  previousKeys: readonly string[],
  replaced: Readonly<JsonObject> = {},
): JsonObject {
  const current = isObject(settings.env) ? settings.env : {};
  const next: JsonObject = {};
  for (const [key, value] of Object.entries(current)) {
    if (Object.hasOwn(env, key)) next[key] = env[key];
    else if (!previousKeys.includes(key)) next[key] = value;
    else if (Object.hasOwn(replaced, key)) next[key] = replaced[key];
  }
  for (const [key, value] of Object.entries(env)) next[key] = value;
  return { ...settings, env: next };
}

/** Takes out the env keys ccbridge wrote and puts back the user values they replaced; an `env` left empty goes. */
export function removeEnv(
  settings: JsonObject,
  keys: readonly string[],
  replaced: Readonly<JsonObject> = {},
): JsonObject {
  if (!isObject(settings.env)) return settings;
  const rest: JsonObject = {};
  for (const [key, value] of Object.entries(settings.env)) {
    if (!keys.includes(key)) rest[key] = value;
    else if (Object.hasOwn(replaced, key)) rest[key] = replaced[key];
  }
  if (Object.keys(rest).length) return { ...settings, env: rest };
  return Object.fromEntries(Object.entries(settings).filter(([key]) => key !== 'env'));
}

/** Claude Code's own layout: two-space JSON and a final newline. */
export function serializeSettings(settings: JsonObject): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}

/**
 * Plans the change of one settings file. `previousKeys` are the keys ccbridge wrote there before and
 * `replaced` the user values they replaced. When the result means the same as the current content, the
 * text is returned unchanged so the file is not rewritten (and keeps the user's formatting).
 */
export function planSettings(
  oldText: string | null,
  change: SettingsChange,
  previousKeys: readonly string[],
  path: string,
  replaced: Readonly<JsonObject> = {},
): SettingsPlan {
  const before = parseSettings(oldText, path);
  const envBefore = isObject(before.env) ? before.env : null;
  const envOf = (o: JsonObject) => (isObject(o.env) ? o.env : null);
  if (change.kind === 'remove') {
    const line = change.statusLine ? changeStatusLine(before, change.statusLine) : null;
    const after = removeEnv(line?.settings ?? before, previousKeys, replaced);
    const changed = oldText !== null && JSON.stringify(after) !== JSON.stringify(before);
    return {
      text: changed ? serializeSettings(after) : oldText,
      changed,
      keys: [],
      replaced: {},
      // On removal: the user values put back.
      replacedNow: Object.keys(replaced).filter((key) => previousKeys.includes(key) && envBefore && key in envBefore),
      envBefore,
      envAfter: envOf(after),
      statusLine: line?.outcome ?? null,
    };
  }
  // A key the user set that ccbridge did not write is theirs: remember the value to put back later.
  const replacedNow = Object.keys(change.env).filter(
    (key) => envBefore !== null && Object.hasOwn(envBefore, key) && !previousKeys.includes(key),
  );
  const nextReplaced: JsonObject = {};
  for (const key of Object.keys(change.env)) {
    if (replacedNow.includes(key)) nextReplaced[key] = envBefore![key];
    else if (Object.hasOwn(replaced, key)) nextReplaced[key] = replaced[key];
  }
  const line = change.statusLine ? changeStatusLine(before, change.statusLine) : null;
  const after = mergeEnv(line?.settings ?? before, change.env, previousKeys, replaced);
  const changed = oldText === null || JSON.stringify(after) !== JSON.stringify(before);
  return {
    text: changed ? serializeSettings(after) : oldText,
    changed,
    keys: Object.keys(change.env),
    replaced: nextReplaced,
    replacedNow: replacedNow.filter((key) => envBefore![key] !== change.env[key]),
    envBefore,
    envAfter: envOf(after),
    statusLine: line?.outcome ?? null,
  };
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
