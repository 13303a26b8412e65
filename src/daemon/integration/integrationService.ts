import { createHash } from 'node:crypto';
import { requireAccount } from '../../core/accounts.js';
import type { Daemon } from '../daemon.js';
import type { EventInput } from '../../shared/schemas/events.js';
import type {
  ApplyIntegrationBody,
  ApplyResult,
  ClaudeEnv,
  IntegrationPreview,
  SettingsFileStatus,
} from '../../shared/schemas/integration.js';
import type { StateFile } from '../../shared/schemas/state.js';
import { buildClaudeEnv } from '../../claude/buildClaudeEnv.js';
import { readSettingsFile, writeSettingsFile } from '../../claude/settingsFile.js';
import { parseSettings, planSettings, type SettingsChange, type SettingsPlan } from '../../claude/settingsMerge.js';
import { defaultSettingsPath } from '../../claude/settingsPath.js';
import { envDiff } from '../../claude/envDiff.js';
import { TIER_ALIASES } from '../../shared/bridgeNames.js';
import type { Account } from '../../shared/schemas/state.js';
import { usableContextWindow } from '../../translate/codexModels.js';
import { resolutionContext, resolveModel } from '../../translate/resolveModel.js';

/** What the integration needs from the daemon. */
// No `view()`: auto-apply runs on every state change, and the view maps every account.
export type IntegrationHost = Pick<Daemon, 'store' | 'log' | 'bridgeBaseUrl' | 'ensureToken' | 'providers'>;
type Env = Record<string, string | undefined>;
type Trigger = 'apply' | 'remove' | 'auto';

/**
 * CLAUDE_CODE_MAX_CONTEXT_TOKENS: the usable window of the model the session's main requests (the opus tier,
 * ANTHROPIC_MODEL) resolve to on the account they go to: the pinned one, else the routed one. Recomputed on
 * every apply, so a model or account change moves it (auto-apply re-runs on every state change).
 */
function sessionContextTokens(host: IntegrationHost, state: StateFile, pinned: Account | null): number {
  const routedId = host.providers.routeAccountId(state);
  const account = pinned ?? state.accounts.find((a) => a.id === routedId) ?? null;
  const ctx = resolutionContext(
    account?.model ?? null,
    state.settings,
    account ? host.providers.models(account.id) : null,
  );
  return usableContextWindow(resolveModel(state.settings.opusModel ?? TIER_ALIASES.opus, ctx).info);
}

/** The env block for the bridge as it runs now (bound port, current token, tier settings, model window). */
export function integrationEnv(
  host: IntegrationHost,
  accountRef?: string,
): { env: ClaudeEnv; account: { id: string; name: string } | null } {
  const state = host.store.get();
  const account = accountRef ? requireAccount(state, accountRef) : null;
  const env = buildClaudeEnv({
    baseUrl: host.bridgeBaseUrl(),
    token: host.ensureToken(),
    settings: state.settings,
    accountId: account?.id ?? null,
    maxContextTokens: sessionContextTokens(host, state, account),
  });
  return { env, account: account ? { id: account.id, name: account.name } : null };
}

export function settingsTarget(state: StateFile, processEnv: Env, explicit?: string): string {
  return explicit ?? defaultSettingsPath(processEnv, state.settings.claudeSettingsPath);
}

/** Fingerprint of one applied block: auto-apply compares it to do nothing when nothing changed. */
const envHash = (path: string, env: ClaudeEnv) =>
  createHash('sha256').update(JSON.stringify({ path, env })).digest('hex');

function fileStatus(path: string, env: ClaudeEnv, state: StateFile): SettingsFileStatus {
  const { text } = readSettingsFile(path);
  if (text === null) return 'missing';
  const tracked = state.integration.appliedPath === path;
  const previousKeys = tracked ? state.integration.appliedKeys : [];
  const replaced = tracked ? state.integration.replaced : {};
  try {
    return planSettings(text, { kind: 'apply', env }, previousKeys, path, replaced).changed ? 'outdated' : 'up-to-date';
  } catch {
    return 'invalid';
  }
}

/** `GET /api/integration`: the env block, the target file and whether it already holds that block. */
export function previewIntegration(
  host: IntegrationHost,
  processEnv: Env,
  opts: { account?: string; settingsPath?: string } = {},
): IntegrationPreview {
  const state = host.store.get();
  const { env, account } = integrationEnv(host, opts.account);
  const fileEnv = account ? integrationEnv(host).env : env;
  const path = settingsTarget(state, processEnv, opts.settingsPath);
  const status = fileStatus(path, fileEnv, state);
  const { appliedPath, appliedKeys, appliedAt } = state.integration;
  return {
    env,
    path,
    status,
    upToDate: status === 'up-to-date',
    autoApply: state.settings.autoApplyClaude,
    account,
    applied: { path: appliedPath, keys: appliedKeys, at: appliedAt },
  };
}

/** `POST /api/integration/apply` (and `--remove`, `--dry-run`). */
export function applyIntegration(host: IntegrationHost, processEnv: Env, body: ApplyIntegrationBody): ApplyResult {
  const state = host.store.get();
  if (body.remove) {
    // Removal goes where ccbridge wrote, unless told otherwise.
    const path = body.settingsPath ?? state.integration.appliedPath ?? settingsTarget(state, processEnv);
    const ours = state.integration.statusLine && state.integration.appliedPath === path;
    return applyTo(host, path, { kind: 'remove', ...(ours ? { statusLine: 'remove' } : {}) }, body.dryRun, 'remove');
  }
  const path = settingsTarget(state, processEnv, body.settingsPath);
  const change: SettingsChange = {
    kind: 'apply',
    env: integrationEnv(host).env,
    ...(body.statusLine ? { statusLine: 'add' } : {}),
  };
  return applyTo(host, path, change, body.dryRun, 'apply');
}

/**
 * Re-applies the block where it was applied when the bridge address, token or models changed.
 * Returns null when auto-apply is off, nothing was ever applied, or nothing changed (file untouched).
 */
export function autoApplyIntegration(host: IntegrationHost): ApplyResult | null {
  const state = host.store.get();
  const { appliedPath, appliedHash } = state.integration;
  if (!state.settings.autoApplyClaude || !appliedPath) return null;
  const { env } = integrationEnv(host);
  if (envHash(appliedPath, env) === appliedHash) return null;
  return applyTo(host, appliedPath, { kind: 'apply', env }, false, 'auto');
}

/** Env keys whose value differs between two settings texts (names only: values may be secrets). */
function changedEnvKeys(before: string | null, after: string | null, path: string): string[] {
  const a = (parseSettings(before, path).env ?? {}) as Record<string, unknown>;
  const b = (parseSettings(after, path).env ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]);
}

function applyTo(
  host: IntegrationHost,
  path: string,
  change: SettingsChange,
  dryRun: boolean,
  trigger: Trigger,
): ApplyResult {
  const state = host.store.get();
  const tracked = state.integration.appliedPath === path;
  const before = readSettingsFile(path);
  const plan = planSettings(
    before.text,
    change,
    tracked ? state.integration.appliedKeys : [],
    path,
    tracked ? state.integration.replaced : {},
  );
  const result: ApplyResult = {
    path,
    action: change.kind,
    dryRun,
    changed: plan.changed,
    written: false,
    diff: envDiff({
      path,
      oldMissing: before.text === null,
      newMissing: plan.text === null,
      envBefore: plan.envBefore,
      envAfter: plan.envAfter,
      replacedNow: change.kind === 'apply' ? plan.replacedNow : [],
    }),
    keys: plan.keys,
    replaced: plan.replacedNow,
    backupPath: null,
    statusLine: plan.statusLine,
  };
  if (dryRun) return result;
  if (plan.changed && plan.text !== null) {
    result.backupPath = writeSettingsFile(before, plan.text);
    result.written = true;
    host.log(appliedEvent(trigger, path, changedEnvKeys(before.text, plan.text, path)));
  }
  recordApplied(host, change, path, tracked, result.written, plan.replaced, plan.statusLine);
  return result;
}

function recordApplied(
  host: IntegrationHost,
  change: SettingsChange,
  path: string,
  tracked: boolean,
  written: boolean,
  replaced: Record<string, unknown>,
  statusLine: SettingsPlan['statusLine'],
): void {
  const current = host.store.get().integration;
  let next: StateFile['integration'];
  if (change.kind === 'remove') {
    if (!tracked) return;
    next = {
      appliedKeys: [],
      appliedPath: null,
      appliedAt: null,
      appliedHash: null,
      replaced: {},
      statusLine: false,
    };
  } else {
    next = {
      appliedKeys: Object.keys(change.env),
      appliedPath: path,
      appliedAt: written || !tracked ? new Date().toISOString() : current.appliedAt,
      appliedHash: envHash(path, change.env),
      replaced,
      // Ours once added, until removed; one the user wrote (even the same command) stays theirs.
      statusLine: statusLine === 'added' || (tracked && current.statusLine && statusLine !== 'theirs'),
    };
  }
  if (JSON.stringify(next) === JSON.stringify(current)) return;
  host.store.update((s) => {
    s.integration = next;
  });
}

function appliedEvent(trigger: Trigger, path: string, keys: string[]): EventInput {
  const what = keys.length ? ` (${keys.join(', ')})` : '';
  const message =
    trigger === 'remove'
      ? `removed ccbridge's env block from ${path}${what}`
      : `${trigger === 'auto' ? 're-applied' : 'applied'} Claude Code settings to ${path}${what}`;
  return { level: 'info', category: 'integration', message, data: { path, keys, trigger } };
}
