import { Hono } from 'hono';
import type { Daemon } from '../daemon.js';
import { accountRoutes } from './accountRoutes.js';
import { accountCodexRoutes, loginSessionRoutes } from './codexRoutes.js';
import type { CodexService } from '../control/codexService.js';
import { eventRoutes } from './eventRoutes.js';
import { integrationRoutes } from './integrationRoutes.js';
import { limitsRoutes } from './limitsRoutes.js';
import type { LimitsKeeper } from '../control/limitsKeeper.js';
import { controlError } from './http.js';
import { notFound } from '../../shared/errors.js';
import { settingsRoutes } from './settingsRoutes.js';
import { systemRoutes } from './systemRoutes.js';
import type { UsageHistory } from '../../core/usageHistory.js';
import { usageRoutes } from './usageRoutes.js';

/** The control API served on the Unix socket (`/api/*`). */
export function createControlApp(
  daemon: Daemon,
  opts: {
    shutdown: (reason: string) => void;
    liveStreams: Set<() => void>;
    codex: CodexService;
    limits: LimitsKeeper;
    usage: UsageHistory;
  },
): Hono {
  const app = new Hono();
  app.route('/api', systemRoutes(daemon, opts.shutdown));
  app.route('/api/accounts', accountRoutes(daemon));
  app.route('/api/accounts', accountCodexRoutes(daemon, opts.codex));
  app.route('/api/accounts', limitsRoutes(daemon, opts.limits));
  app.route('/api/login-sessions', loginSessionRoutes(opts.codex));
  app.route('/api/settings', settingsRoutes(daemon));
  app.route('/api/events', eventRoutes(daemon, opts.liveStreams));
  app.route('/api/integration', integrationRoutes(daemon));
  app.route('/api/usage', usageRoutes(daemon, opts.usage));
  app.notFound((c) =>
    controlError(
      notFound(
        'not_found',
        `no route ${c.req.method} ${c.req.path}; is the daemon older than this ccbridge? run \`ccbridge restart\``,
      ),
      c,
    ),
  );
  app.onError(controlError);
  return app;
}
