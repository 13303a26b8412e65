import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, daemonPid, makeHome, ok, okJson, removeTree, run, spawnCli, type TestHome } from '../../helpers/cli.js';
import { until } from '../../helpers/until.js';

const homes: TestHome[] = [];
async function home(extra?: NodeJS.ProcessEnv): Promise<TestHome> {
  const h = await makeHome(extra);
  homes.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => h.cleanup()));
});

const mode = (p: string) => statSync(p).mode & 0o777;
const dataDir = (h: TestHome) => h.env.CCBRIDGE_HOME!;

describe('daemon lifecycle', () => {
  it('starts detached, reports status, serves /health, stops gracefully', async () => {
    const h = await home();
    const started = await okJson(h, ['start']);
    expect(started).toMatchObject({
      started: true,
      socket: h.env.CCBRIDGE_SOCKET,
      bridge: `http://127.0.0.1:${h.port}/anthropic`,
    });
    expect(alive(started.pid)).toBe(true);

    const again = await okJson(h, ['start']);
    expect(again).toMatchObject({ started: false, pid: started.pid });

    // Started with two malloc arenas (lower idle RSS after traffic) unless the user set their own.
    const environ = readFileSync(`/proc/${started.pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain('MALLOC_ARENA_MAX=2');

    const status = await okJson(h, ['status']);
    expect(status).toMatchObject({ running: true, pid: started.pid, version: expect.any(String), activeAccount: null });

    const health = await okJson(h, ['health']);
    expect(health).toMatchObject({ status: 'ok', activeAccount: null });
    expect(JSON.stringify(health)).not.toMatch(/token/i);

    const res = await fetch(`http://127.0.0.1:${h.port}/health`);
    expect(res.status).toBe(200);

    expect(await okJson(h, ['stop'])).toMatchObject({ stopped: true, pid: started.pid });
    expect(alive(started.pid)).toBe(false);
    expect(existsSync(h.env.CCBRIDGE_SOCKET!)).toBe(false);
    const down = await run(h, ['status', '--json']);
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout)).toMatchObject({ running: false });
    expect(await okJson(h, ['stop'])).toMatchObject({ stopped: false });
  });

  it('keeps private file modes: data and run dirs 0700, state 0600, socket 0600, account homes 0700', async () => {
    const h = await home();
    const { id } = await okJson(h, ['add', 'work']);
    const d = dataDir(h);
    expect(mode(d)).toBe(0o700);
    expect(mode(join(d, 'run'))).toBe(0o700);
    expect(mode(join(d, 'state.json'))).toBe(0o600);
    expect(mode(join(d, 'events.jsonl'))).toBe(0o600);
    expect(mode(h.env.CCBRIDGE_SOCKET!)).toBe(0o600);
    expect(mode(join(d, 'accounts', id))).toBe(0o700);
    expect(mode(join(d, 'accounts', id, 'codex-home'))).toBe(0o700);
    expect(mode(join(d, 'run', 'daemon.log'))).toBe(0o600);
  });

  it('tightens an existing group/world-readable data dir to 0700', async () => {
    const h = await home();
    mkdirSync(dataDir(h), { recursive: true });
    chmodSync(dataDir(h), 0o755);
    await ok(h, ['start']);
    expect(mode(dataDir(h))).toBe(0o700);
  });

  it('restart replaces the daemon and keeps the state', async () => {
    const h = await home();
    await ok(h, ['add', 'work']);
    const before = daemonPid(h)!;
    const r = await okJson(h, ['restart']);
    expect(r.oldPid).toBe(before);
    expect(r.pid).not.toBe(before);
    expect(alive(before)).toBe(false);
    expect(alive(r.pid)).toBe(true);
    expect((await okJson(h, ['list'])).accounts.map((a: { name: string }) => a.name)).toEqual(['work']);
    // With nothing running, restart just starts one.
    await ok(h, ['stop']);
    const fresh = await okJson(h, ['restart']);
    expect(fresh.oldPid).toBeNull();
    expect(alive(fresh.pid)).toBe(true);
  });

  it('two concurrent starts give one daemon', async () => {
    const h = await home();
    const [a, b] = await Promise.all([okJson(h, ['start']), okJson(h, ['start'])]);
    expect(a.pid).toBe(b.pid);
    expect([a.started, b.started].sort()).toEqual([false, true]);
  });

  it('recovers after kill -9: the next command cleans the stale socket and pid', async () => {
    const h = await home();
    await ok(h, ['add', 'work']);
    const pid = daemonPid(h)!;
    process.kill(pid, 'SIGKILL');
    while (alive(pid)) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(h.env.CCBRIDGE_SOCKET!)).toBe(true); // left behind

    const list = await okJson(h, ['list']);
    expect(list.accounts.map((a: { name: string }) => a.name)).toEqual(['work']);
    const newPid = daemonPid(h)!;
    expect(newPid).not.toBe(pid);
    expect(alive(newPid)).toBe(true);
  });

  it('binds its socket again when the file is removed, and stops once its data dir is removed', async () => {
    const h = await home();
    const { pid } = await okJson(h, ['start']);
    const socket = h.env.CCBRIDGE_SOCKET!;
    // Unreachable at first (every command would wait out its deadline); the daemon looks every 2 s.
    rmSync(socket);
    await until(() => existsSync(socket), 10_000, 'the socket made again');
    expect(await okJson(h, ['status'])).toMatchObject({ running: true, pid });
    expect(mode(socket)).toBe(0o600);
    expect(await ok(h, ['logs'])).toContain(`the control socket ${socket} was removed; listening on it again`);
    // The user removed ccbridge's data: the daemon stops and makes none of it again.
    await removeTree(dataDir(h));
    await until(() => !alive(pid), 10_000, 'the daemon gone');
    expect(existsSync(dataDir(h))).toBe(false);
  });

  it('a command right after the data dir was removed gets a new daemon, not the old one', async () => {
    const h = await home();
    await ok(h, ['add', 'work']);
    const old = daemonPid(h)!;
    // The default socket lives in the data dir (the tests move it out): both go.
    await removeTree(dataDir(h));
    rmSync(h.env.CCBRIDGE_SOCKET!);
    // The command makes the data dir anew while the old daemon still holds the lock: that daemon sees a dir that
    // is not its own and stops, and the command's daemon starts once it is gone.
    const list = await okJson(h, ['list']);
    expect(list.accounts).toEqual([]);
    expect(daemonPid(h)).not.toBe(old);
    expect(alive(old)).toBe(false);
  });

  it('refuses to start on a corrupt state file and leaves it untouched', async () => {
    const h = await home();
    mkdirSync(dataDir(h), { recursive: true, mode: 0o700 });
    const file = join(dataDir(h), 'state.json');
    writeFileSync(file, '{"schemaVersion": 1, "accounts": [', { mode: 0o600 });
    const before = readFileSync(file);
    const r = await run(h, ['list']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('--reset-state');
    expect(readFileSync(file)).toEqual(before);

    // A schema violation is refused the same way.
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, accounts: [{ id: 'BAD ID', name: 'x' }] }));
    const invalid = await run(h, ['start', '--foreground']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/accounts\.0\.id/);

    // --reset-state moves it aside explicitly, keeping its content.
    const bad = readFileSync(file);
    await ok(h, ['start', '--reset-state']);
    const aside = readdirSync(dataDir(h)).filter((f) => f.startsWith('state.json.reset-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dataDir(h), aside[0]!))).toEqual(bad);
    expect(await okJson(h, ['list'])).toMatchObject({ accounts: [] });
  });

  it('refuses a socket path that is too long, naming CCBRIDGE_SOCKET', async () => {
    const h = await home();
    h.set({ CCBRIDGE_SOCKET: join(h.dir, 'x'.repeat(100), 's.sock') });
    const r = await run(h, ['start']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CCBRIDGE_SOCKET/);
  });

  describe('busy bridge port', () => {
    let blocker: Server;
    const block = (port: number) =>
      new Promise<void>((resolve) => {
        blocker = createServer();
        blocker.listen(port, '127.0.0.1', () => resolve());
      });
    afterEach(() => new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve())));

    it('fails with a clear error without portFallback', async () => {
      const h = await home();
      await block(h.port);
      const r = await run(h, ['start']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`port ${h.port} on 127.0.0.1 is already in use.*portFallback`));
    });

    it('falls back to the next free port with portFallback and records it', async () => {
      const h = await home();
      await ok(h, ['start']);
      await ok(h, ['config', 'set', 'portFallback', 'true']);
      await ok(h, ['stop']);
      await block(h.port);
      const started = await okJson(h, ['start']);
      expect(started.bridge).not.toContain(`:${h.port}/`);
      const port = Number(new URL(started.bridge).port);
      expect(port).toBeGreaterThan(h.port);
      const state = JSON.parse(readFileSync(join(dataDir(h), 'state.json'), 'utf8'));
      expect(state.bridge.port).toBe(port);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    });
  });

  it('runs in the foreground and stops on SIGTERM', async () => {
    const h = await home();
    const child = spawnCli(h, ['start', '--foreground']);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const deadline = Date.now() + 10_000;
    while (!out.includes('daemon') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain(`http://127.0.0.1:${h.port}/anthropic`);
    expect(out).toContain(h.env.CCBRIDGE_SOCKET);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });
});
