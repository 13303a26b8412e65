import { z } from 'zod';

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
export type SettingsFileStatus = 'missing' | 'invalid' | 'up-to-date' | 'outdated';

export interface IntegrationPreview {
  env: ClaudeEnv;
  /** The settings file `apply` would write without an explicit path. */
  path: string;
  status: SettingsFileStatus;
  upToDate: boolean;
  autoApply: boolean;
  /** The account `env` pins (only when one was asked for). */
  account: { id: string; name: string } | null;
  applied: { path: string | null; keys: string[]; at: string | null };
}

export interface ApplyResult {
  path: string;
  action: 'apply' | 'remove';
  dryRun: boolean;
  /** Whether the file's content differs (or would differ) from before. */
  changed: boolean;
  written: boolean;
  /** Unified diff of the file, old → new; empty when nothing changes. */
  diff: string;
  /** Env keys ccbridge now manages in the file (empty after removal). */
  keys: string[];
  backupPath: string | null;
}

export interface IntegrationTestStep {
  name: string;
  status: 'ok' | 'warn' | 'failed';
  detail: string;
  ms: number;
}

export interface IntegrationTestResult {
  ok: boolean;
  baseUrl: string;
  model: string;
  steps: IntegrationTestStep[];
}
