import * as z from 'zod';
import { TestStepSchema } from './testStep.js';

/** The env block ccbridge gives Claude Code: variable name → value, in a stable order. */
export type ClaudeEnv = Record<string, string>;

const AbsolutePathSchema = z
  .string()
  .min(1)
  .refine((p) => p.startsWith('/'), 'settingsPath must be an absolute path');

/** `POST /api/integration/apply`. Without `settingsPath` the daemon picks the default target. */
export const ApplyIntegrationBodySchema = z
  .object({
    remove: z.boolean().default(false),
    dryRun: z.boolean().default(false),
    settingsPath: AbsolutePathSchema.optional(),
    /** Also set Claude Code's `statusLine` to `ccbridge statusline`, unless the user has one. */
    statusLine: z.boolean().optional(),
  })
  .strict();
export type ApplyIntegrationBody = z.infer<typeof ApplyIntegrationBodySchema>;

/**
 * `POST /api/integration/test`: `account` pins the round trip like `ccbridge claude --account`;
 * `settingsPath` is the settings file the caller's Claude Code reads (its CLAUDE_SETTINGS_PATH).
 */
export const IntegrationTestBodySchema = z
  .object({ account: z.string().min(1).optional(), settingsPath: AbsolutePathSchema.optional() })
  .strict();

/** Where the target settings file stands relative to the env block ccbridge would write. */
export const SettingsFileStatusSchema = z.enum(['missing', 'invalid', 'up-to-date', 'outdated']);
export type SettingsFileStatus = z.infer<typeof SettingsFileStatusSchema>;

/** `GET /api/integration`: the env block and where `apply` would write it. */
export const IntegrationPreviewSchema = z.object({
  env: z.record(z.string(), z.string()),
  /** The settings file `apply` would write without an explicit path. */
  path: z.string(),
  status: SettingsFileStatusSchema,
  upToDate: z.boolean(),
  autoApply: z.boolean(),
  /** The account `env` pins (only when one was asked for). */
  account: z.object({ id: z.string(), name: z.string() }).nullable(),
  applied: z.object({ path: z.string().nullable(), keys: z.array(z.string()), at: z.string().nullable() }),
});
export type IntegrationPreview = z.infer<typeof IntegrationPreviewSchema>;

/** `POST /api/integration/apply`. */
export const ApplyResultSchema = z.object({
  path: z.string(),
  action: z.enum(['apply', 'remove']),
  dryRun: z.boolean(),
  /** Whether the file's content differs (or would differ) from before. */
  changed: z.boolean(),
  written: z.boolean(),
  /** The env keys that change, unified-diff style, secrets masked; empty when nothing changes. */
  diff: z.string(),
  /** Env keys ccbridge now manages in the file (empty after removal). */
  keys: z.array(z.string()),
  /** Env keys whose user value this change replaces (kept, and put back by `--remove`); on removal, those put back. */
  replaced: z.array(z.string()),
  /** The file's content before ccbridge first wrote it (the first backup is kept). */
  backupPath: z.string().nullable(),
  /**
   * What happened to `statusLine`: ccbridge's was `added`, was already `present`, the user's own was left
   * (`theirs`), or ccbridge's was `removed`; null when not asked and nothing to remove.
   */
  statusLine: z.enum(['added', 'present', 'theirs', 'removed']).nullable().optional(),
});
export type ApplyResult = z.infer<typeof ApplyResultSchema>;

/** `POST /api/integration/test`: the Claude Code round trip through the bridge, step by step. */
export const IntegrationTestResultSchema = z.object({
  ok: z.boolean(),
  baseUrl: z.string(),
  model: z.string(),
  steps: z.array(TestStepSchema),
});
export type IntegrationTestResult = z.infer<typeof IntegrationTestResultSchema>;
