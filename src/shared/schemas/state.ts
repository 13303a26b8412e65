import * as z from 'zod';
import { SettingsSchema } from './settings.js';

export const STATE_SCHEMA_VERSION = 1;

/** Short, URL-safe, stable: generated once, never derived from the (renamable) name. */
export const AccountIdSchema = z.string().regex(/^[a-z0-9]{4,16}$/);

export const AccountNameSchema = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(40, 'name must be at most 40 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'name may use letters, digits, ".", "_" and "-", starting with a letter or digit',
  );

/** `on`/`off` override the global fast mode for this account; null inherits it. */
export const FastOverrideSchema = z.enum(['on', 'off']).nullable();

export const AccountSchema = z.object({
  id: AccountIdSchema,
  name: AccountNameSchema,
  enabled: z.boolean().default(true),
  model: z.string().min(1).nullable().default(null),
  fastMode: FastOverrideSchema.default(null),
  createdAt: z.string(),
  /** Set when a refresh failed permanently; cleared by a successful login. */
  needsLogin: z.boolean().default(false),
});
export type Account = z.infer<typeof AccountSchema>;

export const IntegrationStateSchema = z.object({
  /** Env keys ccbridge wrote into Claude's settings.json, so removal touches nothing else. */
  appliedKeys: z.array(z.string()).default([]),
  appliedPath: z.string().nullable().default(null),
  appliedAt: z.string().nullable().default(null),
  /** Hash of the target path and env block last applied: auto-apply acts only when it changes. */
  appliedHash: z.string().nullable().default(null),
  /** The user's own values of env keys ccbridge took over in appliedPath: `apply-claude --remove` puts them back. */
  replaced: z.record(z.string(), z.unknown()).default({}),
  /** ccbridge wrote the `statusLine` in appliedPath (`apply-claude --statusline`): `--remove` takes it out again. */
  statusLine: z.boolean().default(false),
});

export const BridgeStateSchema = z.object({
  token: z.string().min(32).nullable().default(null),
  /** Port actually bound last time (differs from the configured one after a fallback). */
  port: z.number().int().nullable().default(null),
});

export const StateFileSchema = z.object({
  schemaVersion: z.literal(STATE_SCHEMA_VERSION),
  accounts: z.array(AccountSchema).default([]),
  activeAccountId: AccountIdSchema.nullable().default(null),
  defaultAccountId: AccountIdSchema.nullable().default(null),
  settings: SettingsSchema.default(SettingsSchema.parse({})),
  integration: IntegrationStateSchema.default(IntegrationStateSchema.parse({})),
  bridge: BridgeStateSchema.default(BridgeStateSchema.parse({})),
});
export type StateFile = z.infer<typeof StateFileSchema>;
