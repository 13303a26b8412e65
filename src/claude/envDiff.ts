type JsonObject = Record<string, unknown>;

/** Env keys whose values are credentials: never shown whole in a diff (the bridge token, a user's own key). */
const SECRET_KEYS = /(TOKEN|KEY|SECRET|PASSWORD)$/;

/** A secret's value as a diff shows it: its first four characters and its length. */
export function maskValue(key: string, value: unknown): string {
  if (!SECRET_KEYS.test(key) || typeof value !== 'string') return JSON.stringify(value);
  return value.length > 8 ? `"${value.slice(0, 4)}…" (${value.length} characters, hidden)` : '"…" (hidden)';
}

export interface EnvDiffInput {
  path: string;
  /** The settings file did not exist / will not exist. */
  oldMissing: boolean;
  newMissing: boolean;
  envBefore: JsonObject | null;
  envAfter: JsonObject | null;
  /** Keys whose user value the change replaces: called out, with the value that `--remove` puts back. */
  replacedNow: readonly string[];
}

/**
 * The change of the `env` block in unified-diff style, one line per key that changes and nothing else (not the
 * reformatted file), secrets masked. Empty when no key changes.
 */
export function envDiff(input: EnvDiffInput): string {
  const before = input.envBefore ?? {};
  const after = input.envAfter ?? {};
  const line = (sign: string, key: string, value: unknown) => `${sign}    "${key}": ${maskValue(key, value)},`;
  const body: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const had = Object.hasOwn(before, key);
    const has = Object.hasOwn(after, key);
    if (had && has && JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    if (had) body.push(line('-', key, before[key]));
    if (has) body.push(line('+', key, after[key]));
  }
  if (!body.length) return '';
  const notes = input.replacedNow.map(
    (key) =>
      `# ${key}: replaces your value ${maskValue(key, before[key])}; ccbridge keeps it and \`ccbridge apply-claude --remove\` puts it back`,
  );
  return [
    `--- ${input.oldMissing ? '/dev/null' : input.path}`,
    `+++ ${input.newMissing ? '/dev/null' : input.path}`,
    '@@ "env" @@',
    ...body,
    ...notes,
    '',
  ].join('\n');
}
