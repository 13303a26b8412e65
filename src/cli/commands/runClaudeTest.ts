import { controlApi } from '../../client/controlApi.js';
import { requestedSettingsPath } from '../../claude/settingsPath.js';
import type { IntegrationTestResult } from '../../shared/schemas/integration.js';
import { emit } from '../output.js';
import { formatSteps, throwIfFailed } from '../stepReport.js';
import { withDaemon } from './shared.js';

const describe = (r: IntegrationTestResult) => formatSteps(`Claude Code → ${r.baseUrl} (model ${r.model})`, r.steps);

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
  const result = await withDaemon((c) => c.call(controlApi.testIntegration(body)), 'running a Claude Code round trip');
  emit(result, { json: opts.json ?? false }, describe);
  throwIfFailed(result.steps, 'claude_test_failed', 'Claude Code round trip');
  return result;
}
