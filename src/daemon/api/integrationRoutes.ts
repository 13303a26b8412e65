import { Hono } from 'hono';
import { claudeRoundTrip } from '../../claude/claudeRoundTrip.js';
import { applyIntegration, previewIntegration } from '../integration/integrationService.js';
import { usageError } from '../../shared/errors.js';
import { ApplyIntegrationBodySchema, IntegrationTestBodySchema } from '../../shared/schemas/integration.js';
import type { Daemon } from '../daemon.js';
import { validBody } from '../bridge/middleware/validBody.js';
import { controlBody } from './http.js';

/** Claude Code integration: preview the env block, write it into settings.json, test a round trip. */
export function integrationRoutes(daemon: Daemon, processEnv: NodeJS.ProcessEnv = process.env): Hono {
  const app = new Hono();

  app.get('/', (c) => {
    const settingsPath = c.req.query('settingsPath');
    if (settingsPath !== undefined && !settingsPath.startsWith('/'))
      throw usageError('invalid_request', 'settingsPath must be an absolute path');
    return c.json(previewIntegration(daemon, processEnv, { account: c.req.query('account'), settingsPath }));
  });

  app.post('/apply', validBody(controlBody(ApplyIntegrationBodySchema)), (c) =>
    c.json(applyIntegration(daemon, processEnv, c.var.body)),
  );

  app.post('/test', validBody(controlBody(IntegrationTestBodySchema)), async (c) => {
    const { account, settingsPath } = c.var.body;
    const preview = previewIntegration(daemon, processEnv, { account, settingsPath });
    const result = await claudeRoundTrip({
      bridgeUrl: daemon.bridgeUrl(),
      env: preview.env,
      settingsFile: { path: preview.path, status: preview.status },
    });
    return c.json(result);
  });

  return app;
}
