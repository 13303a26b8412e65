import { join } from 'node:path';
import type { Daemon } from '../daemon.js';
import type { CodexService } from './codexService.js';
import { LimitsKeeper } from './limitsKeeper.js';
import type { LoginSession } from '../../shared/schemas/auth.js';
import { ccbridgeEnv } from '../../shared/schemas/ccbridgeEnv.js';

/**
 * The limits keeper wired into the daemon: reads through each account's codex app-server, codex's
 * `account/rateLimits/updated` notifications, the snapshots in the state view, and the schedule that
 * reads more often while a TUI or `limits --watch` is attached (`attached`).
 */
export function startLimitsKeeper(daemon: Daemon, codex: CodexService, attached: () => boolean): LimitsKeeper {
  const keeper = new LimitsKeeper({
    file: join(daemon.paths.dataDir, 'limits.json'),
    read: (id) => codex.control.readRateLimits(id),
    readableAccounts: () =>
      daemon
        .view()
        .accounts.filter(
          (a) =>
            a.enabled && (a.auth.state === 'connected' || a.auth.state === 'expiring' || a.auth.state === 'expired'),
        )
        .map((a) => a.id),
    attached,
    nameOf: (id) => daemon.store.get().accounts.find((a) => a.id === id)?.name ?? id,
    log: (e) => daemon.log(e),
    changed: () => daemon.notifyChange(),
    attachedIntervalMs: ccbridgeEnv().CCBRIDGE_LIMITS_ATTACHED_MS,
    idleIntervalMs: ccbridgeEnv().CCBRIDGE_LIMITS_IDLE_MS,
  });
  daemon.providers.limits = (account) => keeper.view(account.id);
  const offUpdates = codex.control.onRateLimitsUpdated((id, update) => keeper.onUpdated(id, update));
  // A fresh login is the moment the user looks at limits: read them now rather than at the next tick.
  const onLogin = (s: LoginSession) => {
    if (s.state === 'succeeded') void keeper.refresh(s.accountId);
  };
  codex.control.logins.on('change', onLogin);
  keeper.start();
  daemon.onShutdown(() => {
    codex.control.logins.off('change', onLogin);
    offUpdates();
    keeper.stop();
  });
  return keeper;
}
