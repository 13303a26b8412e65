import * as z from 'zod';

/**
 * Every user-facing setting, one zod schema per key. `ccbridge config` and `PATCH /api/settings`
 * validate against this table, so adding a key here is all it takes to expose it.
 */
const optionalModel = z.string().trim().min(1).nullable();

export const settingSchemas = {
  fastMode: z.boolean(),
  portFallback: z.boolean(),
  corsOrigin: z.string().trim().min(1).nullable(),
  routing: z.enum(['manual', 'failover', 'balance', 'drain']),
  /** How the bridge talks to the Codex backend: `auto` = WebSocket with codex's HTTP fallback. */
  transport: z.enum(['auto', 'websocket', 'http']),
  autoApplyClaude: z.boolean(),
  claudeSettingsPath: z.string().trim().min(1).nullable(),
  /** Tier models for the Claude integration; null = the active account's model. */
  opusModel: optionalModel,
  sonnetModel: optionalModel,
  haikuModel: optionalModel,
  subagentModel: optionalModel,
} as const;

export type SettingKey = keyof typeof settingSchemas;
export const SETTING_KEYS = Object.keys(settingSchemas) as SettingKey[];

export const SettingsSchema = z.object({
  fastMode: settingSchemas.fastMode.default(false),
  portFallback: settingSchemas.portFallback.default(false),
  corsOrigin: settingSchemas.corsOrigin.default(null),
  routing: settingSchemas.routing.default('failover'),
  transport: settingSchemas.transport.default('auto'),
  autoApplyClaude: settingSchemas.autoApplyClaude.default(true),
  claudeSettingsPath: settingSchemas.claudeSettingsPath.default(null),
  opusModel: settingSchemas.opusModel.default(null),
  sonnetModel: settingSchemas.sonnetModel.default(null),
  haikuModel: settingSchemas.haikuModel.default(null),
  subagentModel: settingSchemas.subagentModel.default(null),
});
export type Settings = z.infer<typeof SettingsSchema>;

// Built from the bare per-key schemas: zod 4 applies `.default()` even under `.partial()`, which
// would silently reset every key a patch does not name.
export const SettingsPatchSchema = z
  .object(
    Object.fromEntries(SETTING_KEYS.map((k) => [k, settingSchemas[k].optional()])) as {
      [K in SettingKey]: z.ZodOptional<(typeof settingSchemas)[K]>;
    },
  )
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** Human description of the values a key takes, for usage errors and `config list`. */
export function describeSettingValues(key: SettingKey): string {
  const schema = settingSchemas[key];
  const inner = schema instanceof z.ZodNullable ? schema.unwrap() : schema;
  const nullable = schema instanceof z.ZodNullable ? ' | null' : '';
  if (inner instanceof z.ZodBoolean) return 'true | false';
  if (inner instanceof z.ZodEnum) return (inner.options as string[]).join(' | ') + nullable;
  return 'string' + nullable;
}

/** Parses a CLI string into the value the key's schema wants (booleans, null). */
export function coerceSettingValue(key: SettingKey, raw: string): unknown {
  const desc = describeSettingValues(key);
  if (desc.startsWith('true | false')) {
    const v = raw.toLowerCase();
    if (['true', 'on', 'yes', '1'].includes(v)) return true;
    if (['false', 'off', 'no', '0'].includes(v)) return false;
    return raw;
  }
  if (desc.endsWith('| null') && ['null', 'none', ''].includes(raw.toLowerCase())) return null;
  return raw;
}
