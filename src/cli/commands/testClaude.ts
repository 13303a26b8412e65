import { controlApi } from '../../client/controlApi.js';
import { requestedSettingsPath } from '../../claude/settingsPath.js';
import { CcbridgeError } from '../../shared/errors.js';
import type { IntegrationTestResult } from '../../shared/schemas/integration.js';
import { emit, table } from '../output.js';
import { withDaemon } from './shared.js';

const MARK = { ok: 'ok', warn: 'warn', failed: 'FAIL' } as const;

function describe(r: IntegrationTestResult): string {
  const rows = r.steps.map((s) => [MARK[s.status], s.name, `${s.ms} ms`, s.detail]);
  return [`Claude Code → ${r.baseUrl} (model ${r.model})`, table(rows)].join('\n');
}

/**
 * `ccbridge test --claude [--account A]`: a real round trip through the bridge with the env block
 * Claude Code gets, step by step. Prints the steps, then fails (exit 1) naming the step that failed.
 */
export async function runClaudeTest(opts: {
  account?: string | undefined;
  json?: boolean | undefined;
}): Promise<IntegrationTestResult> {
  // The settings file this shell's Claude Code reads, as `ccbridge claude` checks it too.
  const settingsPath = requestedSettingsPath(undefined);
  const body = { ...(opts.account ? { account: opts.account } : {}), ...(settingsPath ? { settingsPath } : {}) };
  const result = await withDaemon((c) => c.call(controlApi.testIntegration(body)));
  emit(result, { json: opts.json ?? false }, describe);
  const failed = result.steps.find((s) => s.status === 'failed');
  if (failed)
    throw new CcbridgeError(
      'claude_test_failed',
      `Claude Code round trip failed at "${failed.name}": ${failed.detail}`,
    );
  return result;
}
