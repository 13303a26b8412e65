import { autoApplyIntegration } from './integrationService.js';
import { errorMessage } from '../../shared/errors.js';
import type { Daemon } from '../daemon.js';

/**
 * Keeps Claude Code's settings in step with the bridge: checks once now (a fallback port or a new
 * token since the last apply) and after every state change (`token --rotate`, tier settings).
 * The check itself is synchronous, so the file is current before the first control request is served.
 */
export function startAutoApply(daemon: Daemon): void {
  let failedFor: string | null = null;
  const check = () => {
    try {
      autoApplyIntegration(daemon);
      failedFor = null;
    } catch (err) {
      // Say it once per distinct problem, not on every state change.
      const message = errorMessage(err);
      if (message === failedFor) return;
      failedFor = message;
      daemon.log({
        level: 'warn',
        category: 'integration',
        message: `could not update Claude Code settings: ${message}`,
      });
    }
  };
  check();
  daemon.onChange(check);
}
