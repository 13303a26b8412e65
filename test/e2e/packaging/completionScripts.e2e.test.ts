import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, makeHome, ok, run, stopAndWait, type TestHome } from '../../helpers/cli.js';

const SCRIPTS = {
  bash: 'completions/ccbridge.bash',
  zsh: 'completions/_ccbridge',
  fish: 'completions/ccbridge.fish',
} as const;
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

describe.each(Object.entries(SCRIPTS))('%s completion script', (shell, file) => {
  it(`is what \`ccbridge completion ${shell}\` prints`, async () => {
    const home = await makeHome();
    try {
      expect(await ok(home, ['completion', shell])).toBe(readFileSync(join(ROOT, file), 'utf8'));
    } finally {
      await home.cleanup();
    }
  });

  it.skipIf(!has(shell))(`passes ${shell} -n`, () => {
    const r = spawnSync(shell, ['-n', join(ROOT, file)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

/**
 * Completion as a user gets it: accounts made through the real CLI, then the daemon stopped, the
 * script loaded into each shell with `ccbridge` on PATH, and TAB simulated.
 */
describe('live completion from the state file, daemon down', () => {
  let home: TestHome;
  let env: NodeJS.ProcessEnv;
  const pidFile = () => join(home.env.CCBRIDGE_HOME!, 'run', 'daemon.pid');

  beforeAll(async () => {
    home = await makeHome();
    await ok(home, ['add', 'work', '--model', 'gpt-5.4']);
    await ok(home, ['add', 'personal']);
    await stopAndWait(home);
    env = { ...home.env, PATH: `${join(ROOT, 'bin')}:${home.env.PATH}` };
  });
  afterAll(async () => {
    // Completion must not have started a daemon behind our back.
    expect(existsSync(pidFile())).toBe(false);
    expect((await run(home, ['status'])).code).toBe(1);
    await home.cleanup();
  });

  const bash = (line: string[], cword: number) =>
    execFileSync(
      'bash',
      [
        '-c',
        'source <(ccbridge completion bash) && complete -p ccbridge && COMP_WORDS=("$@") && COMP_CWORD=$CWORD && _ccbridge && printf "%s\\n" "${COMPREPLY[@]}"',
        'bash',
        ...line,
      ],
      { env: { ...env, CWORD: String(cword) }, encoding: 'utf8' },
    )
      .trim()
      .split('\n');

  it('bash: `ccbridge use <TAB>` lists the account names', () => {
    const [registration, ...names] = bash(['ccbridge', 'use', ''], 2);
    expect(registration).toBe('complete -F _ccbridge ccbridge');
    expect(names.sort()).toEqual(['personal', 'work']);
  });

  it('bash: prefixes, commands, options and models', () => {
    expect(bash(['ccbridge', 'use', 'w'], 2).slice(1)).toEqual(['work']);
    expect(bash(['ccbridge', 'se'], 1).slice(1)).toEqual(['service']);
    expect(bash(['ccbridge', 'service', 'in'], 2).slice(1)).toEqual(['install']);
    expect(bash(['ccbridge', 'rm', '--y'], 2).slice(1)).toEqual(['--yes']);
    expect(bash(['ccbridge', 'model', 'work', 'gpt-5.4'], 3).slice(1)).toEqual(['gpt-5.4', 'gpt-5.4-mini']);
    expect(bash(['ccbridge', 'fast', '--account', 'p'], 3).slice(1)).toEqual(['personal']);
  });

  it('bash: paths complete as files', () => {
    const files = bash(['ccbridge', 'apply-claude', '--settings', join(ROOT, 'completions', 'ccbridge.b')], 3).slice(1);
    expect(files).toEqual([join(ROOT, 'completions', 'ccbridge.bash')]);
  });

  it.skipIf(!has('fish'))('fish: `ccbridge use <TAB>` lists the names with their state', () => {
    const out = execFileSync(
      'fish',
      ['--no-config', '-c', 'ccbridge completion fish | source; complete -C "ccbridge use "'],
      { env, encoding: 'utf8' },
    );
    expect(out.trim().split('\n').sort()).toEqual(['personal', 'work\tactive, default · gpt-5.4']);
  });

  it.skipIf(!has('zsh'))('zsh: `ccbridge use <TAB>` hands the names with descriptions to _describe', () => {
    // compsys needs a terminal; its two entry points are stubbed and the script's own logic runs.
    const script = [
      'compdef() { print -r -- "compdef $*" }',
      '_describe() { print -rl -- "${(@P)${@[-1]}}" }',
      '_files() { print -r -- FILES }',
      'source <(ccbridge completion zsh)',
      'words=(ccbridge use ""); CURRENT=3; _ccbridge',
      'words=(ccbridge apply-claude --settings ""); CURRENT=4; _ccbridge',
    ].join('\n');
    const out = execFileSync('zsh', ['-f', '-c', script], { env, encoding: 'utf8' }).trim().split('\n');
    expect(out).toEqual([
      'compdef _ccbridge ccbridge claude-codex-bridge',
      'work:active, default · gpt-5.4',
      'personal',
      'FILES',
    ]);
  });

  it('__complete answers with the daemon down, quickly, and survives a closed pipe', async () => {
    const started = Date.now();
    const r = await run(home, ['__complete', '--', 'use', '']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('work\tactive, default · gpt-5.4\npersonal\n');
    expect(Date.now() - started).toBeLessThan(2000);
    const piped = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${join(ROOT, 'dist/ccbridge.mjs')}" __complete -- '' | head -c 1`],
      { env, encoding: 'utf8' },
    );
    expect(piped.status).toBe(0);
    expect(piped.stderr).toBe('');
  });

  it('is hidden from --help', async () => {
    expect(await ok(home, ['--help'])).not.toContain('__complete');
  });
});

/** The install lines `ccbridge completion --help` gives, run as written in a HOME where nothing exists yet. */
describe('install lines on a fresh machine', () => {
  it('create their directories, write the scripts, and zsh gets a user-writable fpath entry', async () => {
    const home = await makeHome();
    try {
      const help = await ok(home, ['completion', '--help']);
      const lines = help
        .split('\n')
        .filter((l) => /^ {4}(mkdir|ccbridge) /.test(l))
        .map((l) => l.trim());
      expect(lines.length).toBeGreaterThanOrEqual(5);
      const env = { ...home.env, PATH: `${join(ROOT, 'bin')}:${home.env.PATH}` };
      expect(existsSync(home.env.HOME!)).toBe(false);
      for (const line of lines) execFileSync('sh', ['-c', line], { env, stdio: 'pipe' });
      const h = home.env.HOME!;
      const installed = {
        bash: join(h, '.local/share/bash-completion/completions/ccbridge'),
        zsh: join(h, '.zfunc/_ccbridge'),
        fish: join(h, '.config/fish/completions/ccbridge.fish'),
      };
      for (const [shell, file] of Object.entries(installed))
        expect(readFileSync(file, 'utf8')).toBe(
          readFileSync(join(ROOT, SCRIPTS[shell as keyof typeof SCRIPTS]), 'utf8'),
        );
      // The fpath entry the help names is the directory the script went to (in HOME, so writable).
      expect(help).toContain('fpath=(~/.zfunc $fpath)');
      // bash loads what was installed.
      const r = spawnSync('bash', ['-c', `source ${installed.bash} && complete -p ccbridge`], {
        env,
        encoding: 'utf8',
      });
      expect(r.stdout).toMatch(/complete .* ccbridge/);
    } finally {
      await home.cleanup();
    }
  });
});
