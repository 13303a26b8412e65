import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeHome, ROOT, run, type TestHome } from '../../helpers/cli.js';

const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

// After an upgrade the old daemon keeps serving until restarted: commands say so on stderr.
let h: TestHome;
let fakeDaemon: Server;

beforeAll(async () => {
  h = await makeHome();
  fakeDaemon = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/api/state') return res.end(JSON.stringify({ pid: process.pid, version: '0.0.1-old' }));
    if (req.url === '/api/token') return res.end(JSON.stringify({ token: 'tok' }));
    res.statusCode = 404;
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'no route', exitCode: 1 } }));
  });
  await new Promise<void>((resolve) => fakeDaemon.listen(h.env.CCBRIDGE_SOCKET, resolve));
});
afterAll(async () => {
  await new Promise((resolve) => fakeDaemon.close(resolve));
  await h.cleanup();
});

describe('daemon version skew', () => {
  it('warns once on stderr and still runs the command', async () => {
    const r = await run(h, ['token']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('tok\n');
    expect(r.stderr).toBe(
      `ccbridge: the running daemon is version 0.0.1-old, this ccbridge is ${VERSION}; run \`ccbridge restart\`\n`,
    );
  });
});
