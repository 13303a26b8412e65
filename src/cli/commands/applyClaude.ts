import { Command } from 'commander';
import * as z from 'zod';
import { controlApi } from '../../client/controlApi.js';
import { requestedSettingsPath } from '../../claude/settingsPath.js';
import type { ApplyResult } from '../../shared/schemas/integration.js';
import { emit } from '../output.js';
import { addJsonOption, withDaemon, JsonOptionSchema } from './shared.js';
import { parseOptions } from '../parseOptions.js';

const ApplyClaudeOptionsSchema = JsonOptionSchema.extend({
  settings: z.string().optional(),
  dryRun: z.boolean().optional(),
  remove: z.boolean().optional(),
  statusline: z.boolean().optional(),
});

const STATUS_LINE_WORDS: Record<NonNullable<ApplyResult['statusLine']>, string> = {
  added: 'statusLine set to `ccbridge statusline`',
  present: 'statusLine is already `ccbridge statusline`',
  theirs:
    'you have a statusLine of your own; left it as it is (the README shows how to add `ccbridge statusline` to your script)',
  removed: "removed ccbridge's statusLine",
};

function describe(r: ApplyResult): string {
  const line = r.statusLine ? STATUS_LINE_WORDS[r.statusLine] : null;
  const text = describeEnv(r);
  if (!line) return text;
  if (r.dryRun && r.statusLine === 'added')
    return `${text}\n(dry run: would set statusLine to \`ccbridge statusline\`)`;
  return `${text}\n${line}`;
}

function describeEnv(r: ApplyResult): string {
  if (r.dryRun)
    return r.diff ? `${r.diff}(dry run: ${r.path} not changed)` : `${r.path} is up to date; nothing to change`;
  if (r.action === 'remove') {
    if (!r.written) return `no ccbridge env keys in ${r.path}; nothing to remove`;
    return [
      `removed ccbridge's env keys from ${r.path}`,
      ...(r.replaced.length ? [`put back your own ${r.replaced.join(', ')}`] : []),
    ].join('\n');
  }
  if (!r.written) return `${r.path} is already up to date`;
  return [
    r.diff.trimEnd(),
    `updated ${r.path}`,
    ...(r.replaced.length
      ? [`replaced your own ${r.replaced.join(', ')}; \`ccbridge apply-claude --remove\` puts them back`]
      : []),
    ...(r.backupPath ? [`the file as it was before ccbridge is kept in ${r.backupPath}`] : []),
    'new Claude Code sessions use the bridge; restart running ones',
  ].join('\n');
}

export function applyClaudeCommand(): Command {
  return addJsonOption(
    new Command('apply-claude')
      .description("write ccbridge's env block into Claude Code's settings.json (every other key stays)")
      .option(
        '--settings <path>',
        'settings file (default: CLAUDE_SETTINGS_PATH, the claudeSettingsPath setting, else ~/.claude/settings.json)',
      )
      .option('--dry-run', 'print the diff and change nothing')
      .option('--remove', "take ccbridge's env keys (and its statusLine) out again")
      .option('--statusline', 'also show quota in Claude Code: statusLine `ccbridge statusline`, unless you have one'),
  ).action(async (_opts: unknown, cmd: Command) => {
    const opts = parseOptions(cmd, ApplyClaudeOptionsSchema);
    // Removal defaults to where ccbridge last wrote, which the daemon remembers.
    const settingsPath = opts.remove ? requestedSettingsPath(opts.settings, {}) : requestedSettingsPath(opts.settings);
    const body = {
      remove: Boolean(opts.remove),
      dryRun: Boolean(opts.dryRun),
      ...(opts.statusline && !opts.remove ? { statusLine: true } : {}),
      ...(settingsPath ? { settingsPath } : {}),
    };
    const result = await withDaemon((c) => c.call(controlApi.applyIntegration(body)));
    emit(result, opts, describe);
  });
}
