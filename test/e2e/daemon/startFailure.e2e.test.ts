import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REAL_CODEX } from '../../helpers/codexTestKit.js';
import { startFakeChatgpt, type FakeChatgpt } from '../../fakes/fakeChatgptServer.js';
import { makeTokens, writeAuthJson } from '../../fakes/fakeCodexAuth.mjs';
import { makeTestTls, type TestTls } from '../../fakes/tlsCert.js';
import { daemonPid, makeHome, ok, okJson, run, spawnCli, type TestHome } from '../../helpers/cli.js';

// The first hour: a daemon that cannot start says why at once and leaves nothing running; `stop` right after a
// start (codex app-servers still coming up) leaves nothing running either. Real codex against a fake ChatGPT.

let tls: TestTls;
let chatgpt: FakeChatgpt;
const homes: TestHome[] = [];
const blockers: Server[] = [];

beforeAll(async () => {
  tls = makeTestTls();
  chatgpt = await startFakeChatgpt(tls);
});
afterAll(() => chatgpt.close());
afterEach(async () => {
  await Promise.all(blockers.splice(0).map((b) => new Promise((resolve) => b.close(resolve))));
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

/** A home with `n` signed-in accounts on the real codex, so a started daemon starts codex app-servers. */
async function homeWithAccounts(n: number): Promise<TestHome> {
  const h = await makeHome({
    CCBRIDGE_CODEX_BIN: REAL_CODEX,
    CODEX_CA_CERTIFICATE: tls.caPath,
    CODEX_REFRESH_TOKEN_URL_OVERRIDE: chatgpt.refreshUrl,
  });
  homes.push(h);
  for (let i = 0; i < n; i++) {
    const { id } = await okJson(h, ['add', `acct${i}`]);
    const codexHome = join(h.env.CCBRIDGE_HOME!, 'accounts', id, 'codex-home');
    writeFileSync(join(codexHome, 'config.toml'), `chatgpt_base_url = "${chatgpt.chatgptBaseUrl}"\n`);
    writeAuthJson(codexHome, makeTokens({ chatgptAccountId: `acct-${i}` }));
  }
  await ok(h, ['stop']);
  return h;
}

/** Processes (the daemon, its codex app-servers) whose environment points into the test's temp dir. */
function processesOf(h: TestHome): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').includes(h.dir)) pids.push(Number(entry));
    } catch {
      // another user's process, or gone
    }
  }
  return pids;
}

async function settle(h: TestHome): Promise<number[]> {
  const deadline = Date.now() + 2000;
  while (processesOf(h).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return processesOf(h);
}

const block = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const blocker = createNetServer();
    blocker.once('error', reject);
    blocker.listen(port, '127.0.0.1', () => {
      blockers.push(blocker);
      resolve();
    });
  });

describe('a daemon that cannot start', () => {
  it('says which process holds the port within 2 s, exits 1, and leaves nothing running', async () => {
    const h = await homeWithAccounts(2);
    await block(h.port);
    const t0 = Date.now();
    const r = await run(h, ['list']);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      `ccbridge: port ${h.port} on 127.0.0.1 is already in use by pid ${process.pid} (${readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim()}); stop it, set CCBRIDGE_PORT, or run \`ccbridge config set portFallback true\``,
    ]);
    expect(await settle(h)).toEqual([]);
    expect(daemonPid(h)).toBeNull();
  });

  it('`start --foreground` exits 1 with the reason', async () => {
    const h = await homeWithAccounts(1);
    await block(h.port);
    const child = spawnCli(h, ['start', '--foreground']);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const t0 = Date.now();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`ccbridge: port ${h.port} on 127.0.0.1 is already in use by pid ${process.pid}`));
    expect(await settle(h)).toEqual([]);
  });

  it('the advice works: `config set portFallback true` with the port busy, then start falls back', async () => {
    const h = await homeWithAccounts(1);
    await block(h.port);
    expect(await ok(h, ['config', 'set', 'portFallback', 'true'])).toMatch(
      /portFallback = true \(saved while the daemon is down/,
    );
    const started = await okJson(h, ['start']);
    expect(Number(new URL(started.bridge).port)).toBeGreaterThan(h.port);
  });

  it('a socket another process answers on: fails whole, the bridge port is released', async () => {
    const h = await homeWithAccounts(1);
    // Something else owns the socket path (it hangs up on every connection).
    const squatter = createNetServer((sock) => sock.destroy());
    blockers.push(squatter);
    await new Promise<void>((resolve) => squatter.listen(h.env.CCBRIDGE_SOCKET!, resolve));
    const r = await run(h, ['start']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/another process answers on .*CCBRIDGE_SOCKET/);
    expect(await settle(h)).toEqual([]);
    // The bridge port is free again: nothing half-started holds it.
    await block(h.port);
  });
});

describe('stop right after start', () => {
  it('with three accounts starting their codex app-servers, stop leaves no process behind', async () => {
    const h = await homeWithAccounts(3);
    for (let round = 0; round < 2; round++) {
      await ok(h, ['start']);
      const stopped = await okJson(h, ['stop']);
      expect(stopped.stopped).toBe(true);
      expect(await settle(h)).toEqual([]);
      expect(existsSync(h.env.CCBRIDGE_SOCKET!)).toBe(false);
    }
    await ok(h, ['start']);
    const restarted = await okJson(h, ['restart']);
    expect(restarted.oldPid).not.toBe(restarted.pid);
    await ok(h, ['stop']);
    expect(await settle(h)).toEqual([]);
  });
});
