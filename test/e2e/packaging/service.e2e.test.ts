import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildUnitFile, execArg, serviceEnvironment, userUnitDir } from '../../../src/service/unitFile.js';
import { BIN, alive, makeHome, ok, okJson, run, spawnCli, type TestHome } from '../../helpers/cli.js';

describe('unit file', () => {
  const unit = buildUnitFile({
    nodePath: '/opt/node 20/bin/node',
    scriptPath: '/usr/lib/node_modules/ccbridge/dist/ccbridge.mjs',
    environment: serviceEnvironment({
      CCBRIDGE_HOME: '/data/100%',
      CCBRIDGE_HOST: '0.0.0.0',
      PATH: '/usr/bin',
      SECRET: 'x',
      XDG_DATA_HOME: '',
    }),
  });

  it('runs this node and bundle in the foreground, restarting only on failure', () => {
    expect(unit).toContain(
      'ExecStart="/opt/node 20/bin/node" /usr/lib/node_modules/ccbridge/dist/ccbridge.mjs start --foreground\n',
    );
    expect(unit).toContain('\nRestart=on-failure\n');
    expect(unit).toContain('\nRestartPreventExitStatus=5\n');
    expect(unit).toContain('\nWantedBy=default.target\n');
  });

  it('always binds the bridge to 127.0.0.1 and pins only what the daemon needs', () => {
    expect(unit).toContain('Environment="CCBRIDGE_HOST=127.0.0.1"');
    expect(unit).not.toContain('0.0.0.0');
    expect(unit).toContain('Environment="CCBRIDGE_HOME=/data/100%%"');
    expect(unit).toContain('Environment="PATH=/usr/bin"');
    expect(unit).toContain('Environment="MALLOC_ARENA_MAX=2"');
    expect(unit).not.toContain('SECRET');
    expect(unit).not.toContain('XDG_DATA_HOME');
  });

  it('escapes systemd specifiers, variables and quotes in ExecStart arguments', () => {
    expect(execArg('/a/b.mjs')).toBe('/a/b.mjs');
    expect(execArg('/a/50%')).toBe('/a/50%%');
    expect(execArg('/a/$HOME')).toBe('/a/$$HOME');
    expect(execArg('/a b/"c"\\')).toBe('"/a b/\\"c\\"\\\\"');
  });

  it('lives under $XDG_CONFIG_HOME/systemd/user', () => {
    expect(userUnitDir({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/h' })).toBe('/x/cfg/systemd/user');
    expect(userUnitDir({ HOME: '/h' })).toBe('/h/.config/systemd/user');
  });
});

/** A PATH dir holding the fake systemctl and loginctl (one script, two names). */
function fakeSystemd(home: TestHome): { calls: () => string[]; stateDir: string } {
  const binDir = join(home.dir, 'fakebin');
  const stateDir = join(home.dir, 'systemd');
  mkdirSync(binDir, { recursive: true });
  const script = join(binDir, 'systemctl');
  copyFileSync(resolve(import.meta.dirname, '../../fakes/systemctl.mjs'), script);
  chmodSync(script, 0o755);
  symlinkSync(script, join(binDir, 'loginctl'));
  home.set({ PATH: `${binDir}:${process.env.PATH}`, FAKE_SYSTEMD_DIR: stateDir });
  return {
    stateDir,
    calls: () =>
      existsSync(join(stateDir, 'calls.log'))
        ? readFileSync(join(stateDir, 'calls.log'), 'utf8').trim().split('\n')
        : [],
  };
}

async function waitExit(pid: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  expect(alive(pid)).toBe(false);
}

describe('ccbridge service (built binary)', () => {
  let home: TestHome;
  let unitFile: string;
  beforeEach(async () => {
    home = await makeHome();
    home.set({ XDG_CONFIG_HOME: join(home.dir, 'cfg') });
    unitFile = join(home.dir, 'cfg', 'systemd', 'user', 'ccbridge.service');
  });
  afterEach(async () => {
    // Uninstalling through the fake also stops a daemon it started.
    if (existsSync(unitFile) && home.env.FAKE_SYSTEMD_DIR) await run(home, ['service', 'uninstall']);
    await home.cleanup();
  });

  it('--print shows the unit for this executable, even without systemd', async () => {
    home.set({ PATH: '/nonexistent' });
    const unit = await ok(home, ['service', 'install', '--print']);
    expect(unit).toContain(`ExecStart=${process.execPath} ${BIN} start --foreground\n`);
    expect(unit).toContain(`Environment="CCBRIDGE_HOME=${home.env.CCBRIDGE_HOME}"`);
    expect(unit).toContain(`Environment="CCBRIDGE_PORT=${home.port}"`);
    const dry = await okJson(home, ['service', 'install', '--dry-run']);
    expect(dry.unitPath).toBe(unitFile);
    expect(dry.unit).toBe(unit);
    expect(dry.commands).toEqual([
      'systemctl --user daemon-reload',
      'systemctl --user enable ccbridge.service',
      'systemctl --user restart ccbridge.service',
    ]);
    expect(existsSync(unitFile)).toBe(false);
  });

  it('writes the unit into --unit-dir', async () => {
    const dir = join(home.dir, 'units');
    const dry = await okJson(home, ['service', 'install', '--dry-run', '--unit-dir', dir]);
    expect(dry.unitPath).toBe(join(dir, 'ccbridge.service'));
  });

  it('without systemctl: a clear message, exit 1, nothing written', async () => {
    home.set({ PATH: '/nonexistent' });
    const r = await run(home, ['service', 'install']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /systemd user services are not available here \(systemctl: command not found\).*ccbridge start.*--print/,
    );
    expect(existsSync(unitFile)).toBe(false);
  });

  it('without a user bus: install, uninstall and status fail with the reason', async () => {
    fakeSystemd(home);
    home.set({ FAKE_SYSTEMD_NO_BUS: '1' });
    for (const args of [
      ['service', 'install'],
      ['service', 'uninstall'],
    ]) {
      const r = await run(home, args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Failed to connect to bus: No medium found');
    }
    const status = await run(home, ['service', 'status', '--json']);
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout)).toMatchObject({
      installed: false,
      systemd: 'unavailable (Failed to connect to bus: No medium found)',
    });
    expect(existsSync(unitFile)).toBe(false);
  });

  it('install runs the daemon under the (fake) user manager; stop, status and uninstall work with it', async () => {
    const systemd = fakeSystemd(home);
    const installed = await okJson(home, ['service', 'install']);
    expect(installed).toMatchObject({ unitPath: unitFile, enabled: true, linger: false, stoppedManualDaemon: null });
    expect(systemd.calls()).toEqual([
      'systemctl --user show-environment',
      'systemctl --user is-active ccbridge.service',
      'systemctl --user daemon-reload',
      'systemctl --user enable ccbridge.service',
      'systemctl --user restart ccbridge.service',
      'loginctl show-user ' + (await import('node:os')).userInfo().username + ' --property=Linger --value',
    ]);
    const pid = Number(readFileSync(join(systemd.stateDir, 'main.pid'), 'utf8'));
    expect(installed.pid).toBe(pid);

    // The service's daemon is the one every command talks to, bound to 127.0.0.1.
    const status = await okJson(home, ['status']);
    expect(status).toMatchObject({ running: true, pid, bridge: `http://127.0.0.1:${home.port}/anthropic` });
    const health = await fetch(`http://127.0.0.1:${home.port}/health`);
    expect(health.status).toBe(200);
    expect(await okJson(home, ['service', 'status'])).toMatchObject({
      installed: true,
      enabled: 'enabled',
      active: 'active',
      daemon: `running (pid ${pid})`,
    });

    // `ccbridge stop` ends it gracefully; the unit is then inactive (exit 0 is not restarted).
    await ok(home, ['stop']);
    await waitExit(pid);
    expect(await okJson(home, ['service', 'status'])).toMatchObject({ active: 'inactive', daemon: 'not running' });

    const removed = await okJson(home, ['service', 'uninstall']);
    expect(removed).toEqual({ removed: true, unitPath: unitFile });
    expect(existsSync(unitFile)).toBe(false);
    expect(systemd.calls().slice(-2)).toEqual([
      'systemctl --user disable --now ccbridge.service',
      'systemctl --user daemon-reload',
    ]);
    expect(await okJson(home, ['service', 'uninstall'])).toEqual({ removed: false, unitPath: unitFile });
  });

  it('install takes over from a daemon started by hand; uninstall stops the service', async () => {
    const systemd = fakeSystemd(home);
    home.set({ FAKE_LINGER: 'yes' });
    const started = await okJson(home, ['start']);
    const out = await ok(home, ['service', 'install']);
    expect(out).toContain(`stopped the daemon started by hand (pid ${started.pid}); systemd runs it now`);
    expect(out).toContain('lingering is on');
    expect(alive(started.pid)).toBe(false);
    const pid = Number(readFileSync(join(systemd.stateDir, 'main.pid'), 'utf8'));
    expect(pid).not.toBe(started.pid);
    expect((await okJson(home, ['status'])).pid).toBe(pid);

    await ok(home, ['service', 'uninstall']);
    await waitExit(pid);
    expect((await run(home, ['status'])).code).toBe(1);
  });
});

describe('a foreground daemon (what the unit runs)', () => {
  let home: TestHome;
  beforeEach(async () => {
    home = await makeHome();
  });
  afterEach(() => home.cleanup());

  async function startForeground() {
    const child = spawnCli(home, ['start', '--foreground']);
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const deadline = Date.now() + 15_000;
    while ((await run(home, ['status'])).code !== 0) {
      if (Date.now() > deadline) throw new Error('daemon did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    return { child, exit };
  }

  // Restart=on-failure restarts only on a non-zero exit: a graceful stop must exit 0.
  it('exits 0 when stopped with `ccbridge stop`', async () => {
    const { child, exit } = await startForeground();
    expect((await okJson(home, ['status'])).pid).toBe(child.pid);
    expect(await okJson(home, ['stop'])).toEqual({ stopped: true, pid: child.pid });
    expect(await exit).toBe(0);
  });

  it('exits 0 on SIGTERM (systemctl stop)', async () => {
    const { child, exit } = await startForeground();
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect((await run(home, ['status'])).code).toBe(1);
  });
});
