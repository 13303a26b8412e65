import { join } from 'node:path';
import { UsageHistory } from '../../core/usageHistory.js';
import type { Daemon } from '../daemon.js';

/** The usage history wired into the daemon: `<data>/usage.json`, saved on its own timer and once more at stop. */
export function startUsageHistory(daemon: Daemon): UsageHistory {
  const usage = new UsageHistory({
    file: join(daemon.paths.dataDir, 'usage.json'),
    onError: (message) => daemon.log({ level: 'warn', category: 'system', message }),
  });
  daemon.onShutdown(() => usage.flush());
  daemon.providers.stats = () => usage.today();
  return usage;
}
