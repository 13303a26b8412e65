import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog } from '../../../src/core/eventLog.js';
import { StateStore } from '../../../src/core/stateStore.js';
import { controlError } from '../../../src/daemon/api/http.js';
import { integrationRoutes } from '../../../src/daemon/api/integrationRoutes.js';
import { Daemon } from '../../../src/daemon/daemon.js';
import { resolvePaths } from '../../../src/shared/paths.js';
import type { IntegrationTestResult } from '../../../src/shared/schemas/integration.js';

type Seen = { path: string; headers: IncomingMessage['headers']; body: any };

/** Stands in for the bridge: /health plus, when `messages` is on, an Anthropic /v1/messages. */
function fakeBridge(messages: boolean, seen: Seen[]): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body: raw ? JSON.parse(raw) : null });
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.url === '/health') return json(200, { status: 'ok', version: '0.1.0' });
      if (messages && req.url === '/anthropic/v1/messages') {
        if (req.headers.authorization !== `Bearer ${token}`) {
          return json(401, {
            type: 'error',
            error: { type: 'authentication_error', message: 'invalid bridge token: set ANTHROPIC_AUTH_TOKEN' },
          });
        }
        return json(200, {
          type: 'message',
          model: 'gpt-5.5',
          content: [{ type: 'text', text: 'OK' }],
          usage: { input_tokens: 12, output_tokens: 1 },
        });
      }
      // Not the bridge: another program's plain 404.
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })),
  );
}

let dir: string;
let token: string;
let bridge: { server: Server; port: number } | null = null;
let app: Hono;
let daemon: Daemon;

async function setup(messages: boolean, seen: Seen[]) {
  bridge = await fakeBridge(messages, seen);
  const paths = resolvePaths({ CCBRIDGE_HOME: join(dir, 'data') });
  daemon = new Daemon(paths, StateStore.open(paths.stateFile), new EventLog(paths.eventsFile), {
    host: '127.0.0.1',
    port: bridge.port,
  });
  token = daemon.ensureToken();
  app = new Hono();
  app.route('/api/integration', integrationRoutes(daemon, { CLAUDE_SETTINGS_PATH: join(dir, 'settings.json') }));
  app.onError(controlError);
}

const post = async (path: string, body: unknown) => {
  const res = await app.request(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as any };
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ccb-routes-'));
});
afterEach(async () => {
  await new Promise((r) => bridge?.server.close(r));
  bridge = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('/api/integration', () => {
  it('GET previews the env for the bound port; apply writes it', async () => {
    await setup(false, []);
    const preview = (await (await app.request('/api/integration')).json()) as any;
    expect(preview.env.ANTHROPIC_BASE_URL).toBe(`http://127.0.0.1:${bridge!.port}/anthropic`);
    expect(preview).toMatchObject({ path: join(dir, 'settings.json'), status: 'missing' });
    const applied = await post('/api/integration/apply', {});
    expect(applied.body).toMatchObject({ written: true });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).env.ANTHROPIC_AUTH_TOKEN).toBe(token);
  });

  it('apply validates its body', async () => {
    await setup(false, []);
    expect(await post('/api/integration/apply', { settingsPath: 'relative.json' })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request' } },
    });
    expect(await post('/api/integration/apply', { force: true })).toMatchObject({ status: 400 });
  });

  it('test: a listener without /anthropic (another program on the port) fails the messages step with its 404', async () => {
    await setup(false, []);
    const { status, body } = await post('/api/integration/test', {});
    const result = body as IntegrationTestResult;
    expect(status).toBe(200);
    expect(result.ok).toBe(false);
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['settings file', 'warn'],
      ['bridge health', 'ok'],
      ['messages', 'failed'],
    ]);
    expect(result.steps[2]!.detail).toMatch(
      /^HTTP 404: 404 page not found \(nothing serves http:.*\/anthropic\/v1\/messages\)$/,
    );
  });

  it('test: a real round trip with the generated settings, pinned to an account', async () => {
    const seen: Seen[] = [];
    await setup(true, seen);
    await post('/api/integration/apply', {});
    daemon.store.update((s) => {
      s.accounts.push({
        id: 'abcd1234',
        name: 'work',
        enabled: true,
        model: null,
        fastMode: null,
        createdAt: new Date().toISOString(),
        needsLogin: false,
      });
    });
    const { body } = await post('/api/integration/test', { account: 'work' });
    const result = body as IntegrationTestResult;
    expect(result.steps.map((s) => [s.name, s.status])).toEqual([
      ['settings file', 'ok'],
      ['bridge health', 'ok'],
      ['messages', 'ok'],
    ]);
    expect(result.ok).toBe(true);
    expect(result.steps[2]!.detail).toBe('gpt-5.5 replied "OK", 12 in / 1 out tokens');
    const call = seen.find((s) => s.path === '/anthropic/v1/messages')!;
    expect(call.headers['x-ccbridge-account']).toBe('abcd1234');
    expect(call.headers['anthropic-version']).toBe('2023-06-01');
    expect(call.body).toMatchObject({ model: 'ccbridge-opus', max_tokens: 32, messages: [{ role: 'user' }] });
  });

  it("test: checks the settings file the caller's Claude Code reads", async () => {
    await setup(true, []);
    const own = join(dir, 'elsewhere', 'settings.json');
    await post('/api/integration/apply', { settingsPath: own });
    const step = async (body: object) =>
      ((await post('/api/integration/test', body)).body as IntegrationTestResult).steps[0];
    expect(await step({ settingsPath: own })).toMatchObject({
      name: 'settings file',
      status: 'ok',
      detail: `${own} holds this env block`,
    });
    expect(await step({})).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining(`${join(dir, 'settings.json')} does not exist`),
    });
    expect(await post('/api/integration/test', { settingsPath: 'relative.json' })).toMatchObject({ status: 400 });
  });

  it('test: a rejected token is a failed step that says so', async () => {
    await setup(true, []);
    daemon.rotateToken();
    token = 'stale';
    const result = (await post('/api/integration/test', {})).body as IntegrationTestResult;
    expect(result.ok).toBe(false);
    expect(result.steps.at(-1)).toMatchObject({
      name: 'messages',
      status: 'failed',
      detail: 'HTTP 401: invalid bridge token: set ANTHROPIC_AUTH_TOKEN',
    });
  });
});
