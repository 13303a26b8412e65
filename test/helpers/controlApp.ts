import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { callControl, type ControlRequest, type ControlTransport } from '../../src/client/controlApi.js';
import { EventLog } from '../../src/core/eventLog.js';
import { StateStore } from '../../src/core/stateStore.js';
import { accountRoutes } from '../../src/daemon/api/accountRoutes.js';
import { eventRoutes } from '../../src/daemon/api/eventRoutes.js';
import { controlError } from '../../src/daemon/api/http.js';
import { settingsRoutes } from '../../src/daemon/api/settingsRoutes.js';
import { systemRoutes } from '../../src/daemon/api/systemRoutes.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { CcbridgeError } from '../../src/shared/errors.js';
import { resolvePaths } from '../../src/shared/paths.js';
import type { ApiError } from '../../src/shared/schemas/api.js';

/**
 * The control API's account, settings, system and event routes in-process (`app.request()`), over a
 * daemon on a temp data dir, called through the same `controlApi` table and `callControl` the CLI uses.
 * Errors come back as the CcbridgeError the socket client would throw (code, message, exitCode).
 */
export function inProcessControl() {
  const dir = mkdtempSync(join(tmpdir(), 'ccb-ctl-'));
  const paths = resolvePaths({ CCBRIDGE_HOME: join(dir, 'data') });
  const daemon = new Daemon(paths, StateStore.open(paths.stateFile), new EventLog(paths.eventsFile), {
    host: '127.0.0.1',
    port: 9,
  });
  const app = new Hono();
  app.route(
    '/api',
    systemRoutes(daemon, () => {}),
  );
  app.route('/api/accounts', accountRoutes(daemon));
  app.route('/api/settings', settingsRoutes(daemon));
  app.route('/api/events', eventRoutes(daemon, new Set()));
  app.onError(controlError);
  const transport: ControlTransport = {
    async request(method, path, body) {
      const res = await app.request(path, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      const data = (await res.json()) as unknown;
      if (res.status >= 400) {
        const { error } = data as ApiError;
        throw new CcbridgeError(error.code, error.message, { status: res.status, exitCode: error.exitCode });
      }
      return data;
    },
  };
  return {
    daemon,
    paths,
    app,
    call: <S extends Parameters<typeof callControl>[1]['response']>(req: ControlRequest<S>) =>
      callControl(transport, req),
    /** The error a request fails with (the test fails if it succeeds). */
    async refused(req: ControlRequest): Promise<CcbridgeError> {
      const err = await callControl(transport, req).then(
        () => null,
        (e: unknown) => e,
      );
      if (!(err instanceof CcbridgeError)) throw new Error(`${req.method} ${req.path} was not refused`);
      return err;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
