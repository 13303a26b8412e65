import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, makeHome, stopAndWait, type TestHome } from '../../helpers/cli.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

/** npm without network or lifecycle scripts: the bundle is already built by `npm test`. */
function npm(args: string[], cwd = ROOT): string {
  return execFileSync('npm', [...args, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
}

describe('npm pack', () => {
  it('ships only the bundle, its worker, the launcher, completions, the man page, README, LICENSE, package.json', () => {
    const [report] = JSON.parse(npm(['pack', '--dry-run', '--json'])) as Array<{ files: Array<{ path: string }> }>;
    const files = report!.files.map((f) => f.path).sort();
    const allowed = [
      /^package\.json$/,
      /^README\.md$/,
      /^LICENSE$/,
      /^bin\/ccbridge$/,
      /^dist\/ccbridge\.mjs$/,
      // The daemon's large-request worker thread: its own entry, sharing the chunks.
      /^dist\/requestWorker\.mjs$/,
      /^dist\/chunks\/[\w-]+\.mjs$/,
      /^completions\/(ccbridge\.bash|_ccbridge|ccbridge\.fish)$/,
      /^man\/ccbridge\.1$/,
    ];
    expect(files.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
    for (const needed of [
      'README.md',
      'LICENSE',
      'bin/ccbridge',
      'dist/ccbridge.mjs',
      'dist/requestWorker.mjs',
      'completions/ccbridge.bash',
      'completions/_ccbridge',
      'completions/ccbridge.fish',
      'man/ccbridge.1',
    ]) {
      expect(files).toContain(needed);
    }
    // Every chunk the build made must travel with the entry that imports it.
    for (const chunk of readdirSync(join(ROOT, 'dist/chunks')).filter((f) => f.endsWith('.mjs')))
      expect(files).toContain(`dist/chunks/${chunk}`);
  });
});

describe('a global install from the tarball', () => {
  let tmp: string;
  let prefix: string;
  let home: TestHome;
  let tarball: string;
  const bin = (name: string) => join(prefix, 'bin', name);
  const runBin = (name: string, args: string[], env: NodeJS.ProcessEnv = home.env) =>
    execFileSync(bin(name), args, { env, encoding: 'utf8' });

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ccb-pack-'));
    prefix = join(tmp, 'prefix');
    const tgz = npm(['pack', '--pack-destination', tmp]).trim().split('\n').at(-1)!;
    tarball = join(tmp, tgz);
    // No registry: the one runtime dependency, the optional koffi, comes from npm's cache (`npm ci` put it there).
    npm(['install', '--global', '--offline', '--prefix', prefix, tarball]);
    home = await makeHome();
  }, 120_000);
  afterAll(async () => {
    await stopAndWait(home);
    await home.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('installs ccbridge and claude-codex-bridge, which print the version', () => {
    expect(runBin('ccbridge', ['--version']).trim()).toBe(pkg.version);
    expect(runBin('claude-codex-bridge', ['--version']).trim()).toBe(pkg.version);
  });

  it('installs no runtime dependency but the optional koffi and its prebuilt binary', () => {
    const deps = join(prefix, 'lib/node_modules', pkg.name, 'node_modules');
    const names = existsSync(deps)
      ? readdirSync(deps).flatMap((d) => (d.startsWith('@') ? readdirSync(join(deps, d)).map((n) => `${d}/${n}`) : [d]))
      : [];
    expect(names.filter((n) => n !== '.package-lock.json' && !/^(koffi|@koromix\/koffi-[\w-]+)$/.test(n))).toEqual([]);
  });

  it('links the man page and finds its completion scripts', () => {
    expect(existsSync(join(prefix, 'share/man/man1/ccbridge.1'))).toBe(true);
    expect(runBin('ccbridge', ['completion', 'bash'])).toContain('complete -F _ccbridge ccbridge claude-codex-bridge');
  });

  it('runs the daemon from the installed bundle alone', () => {
    runBin('ccbridge', ['add', 'work']);
    const state = JSON.parse(runBin('ccbridge', ['status', '--json'])) as { running: boolean; bridge: string };
    expect(state).toMatchObject({ running: true, bridge: `http://127.0.0.1:${home.port}/anthropic` });
    expect(runBin('ccbridge', ['__complete', '--', 'use', ''])).toContain('work');
  });

  it.runIf(process.platform === 'linux')('finds koffi from its chunks, as trimNativeHeap.ts loads it', () => {
    const chunks = join(prefix, 'lib/node_modules', pkg.name, 'dist/chunks');
    const chunk = readdirSync(chunks).find((f) => f.startsWith('runDaemon-'))!;
    // createRequire(import.meta.url) of the daemon's chunk, in a process of its own, then the call itself.
    const script = `import { createRequire } from 'node:module';
      const koffi = createRequire(${JSON.stringify(pathToFileURL(join(chunks, chunk)).href)})('koffi');
      console.log(koffi.load('libc.so.6').func('int malloc_trim(size_t)')(0));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out.trim()).toMatch(/^[01]$/);
  });

  it('runs without the optional dependency (no prebuilt binary for the platform, or its install failed)', async () => {
    const bare = join(tmp, 'bare');
    npm(['install', '--global', '--offline', '--prefix', bare, tarball]);
    // npm ignores --omit=optional for a global install: remove it as a failed optional install leaves it.
    rmSync(join(bare, 'lib/node_modules', pkg.name, 'node_modules'), { recursive: true, force: true });
    const own = await makeHome();
    try {
      const run = (args: string[]) =>
        execFileSync(join(bare, 'bin/ccbridge'), args, { env: own.env, encoding: 'utf8' });
      const { pid } = JSON.parse(run(['start', '--json'])) as { pid: number };
      // Past the first memory release (2 s after the start).
      await sleep(2_500);
      expect(JSON.parse(run(['status', '--json']))).toMatchObject({ running: true, pid });
    } finally {
      await stopAndWait(own);
      await own.cleanup();
    }
  });

  it('keeps data in the XDG data dir, never inside the package', () => {
    const env = { PATH: process.env.PATH, HOME: join(home.dir, 'xdg-home'), XDG_DATA_HOME: join(home.dir, 'xdg-data') };
    // `status` reads the state file when no daemon runs (exit 1) and starts nothing.
    const r = spawnSync(bin('ccbridge'), ['status', '--json'], { env, encoding: 'utf8' });
    expect(r.status).toBe(1);
    const status = JSON.parse(r.stdout) as { socket: string };
    expect(status.socket).toBe(join(home.dir, 'xdg-data', 'ccbridge', 'run', 'ccbridge.sock'));
    const installed = join(prefix, 'lib/node_modules', pkg.name);
    expect(
      readdirSync(installed)
        .filter((f) => f !== 'node_modules')
        .sort(),
    ).toEqual(['LICENSE', 'README.md', 'bin', 'completions', 'dist', 'man', 'package.json']);
  });

  it('points the systemd unit at the installed package', () => {
    const unit = runBin('ccbridge', ['service', 'install', '--print']);
    expect(unit).toContain(
      `ExecStart=${process.execPath} ${realpathSync(join(prefix, 'lib/node_modules', pkg.name, 'bin/ccbridge'))} start --foreground\n`,
    );
  });
});
