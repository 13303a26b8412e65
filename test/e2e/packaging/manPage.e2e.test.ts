import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/buildProgram.js';
import { SETTING_KEYS } from '../../../src/shared/schemas/settings.js';
import { ROOT } from '../../helpers/cli.js';

/** Every registered command (the program loads them lazily; tests want them all). */
const fullProgram = await buildProgram();

const SOURCE = join(ROOT, 'man/ccbridge.1.md');
const PAGE = join(ROOT, 'man/ccbridge.1');
const md = readFileSync(SOURCE, 'utf8');

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** Every runnable command as its words after `ccbridge` (`service install`), hidden ones left out. */
function commandPaths(cmd: Command, prefix: string[] = []): Array<{ path: string[]; cmd: Command }> {
  const visible = cmd
    .createHelp()
    .visibleCommands(cmd)
    .filter((c) => c.name() !== 'help');
  return visible.flatMap((c) => {
    const path = [...prefix, c.name()];
    return c.commands.length ? commandPaths(c, path) : [{ path, cmd: c }];
  });
}

/** The text of `### ccbridge <path> …` up to the next heading. */
function section(path: string[]): string | null {
  const lines = md.split('\n');
  const start = lines.findIndex(
    (l) => l === `### ccbridge ${path.join(' ')}` || l.startsWith(`### ccbridge ${path.join(' ')} `),
  );
  if (start < 0) return null;
  const end = lines.findIndex((l, i) => i > start && l.startsWith('#'));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe('man/ccbridge.1.md documents the program as registered', () => {
  const commands = commandPaths(fullProgram);

  it('finds the commands to check', () => {
    expect(commands.map((c) => c.path.join(' '))).toEqual(
      expect.arrayContaining(['start', 'use', 'service install', 'completion']),
    );
  });

  for (const { path, cmd } of commands) {
    it(`ccbridge ${path.join(' ')}: a section with every option and alias`, () => {
      const text = section(path);
      expect(text, `add a "### ccbridge ${path.join(' ')} …" section to man/ccbridge.1.md`).not.toBeNull();
      const missing = [
        ...cmd.options.filter((o) => !o.hidden && o.long !== '--help').map((o) => o.long ?? o.short ?? o.flags),
        ...cmd.aliases(),
      ].filter((word) => !new RegExp(`(^|[^\\w-])${word.replace(/[-]/g, '\\-')}(?![\\w-])`).test(text!));
      expect(missing, `document these in the "ccbridge ${path.join(' ')}" section of man/ccbridge.1.md`).toEqual([]);
    });
  }

  it('lists every setting', () => {
    expect(SETTING_KEYS.filter((k) => !md.includes(`\`${k}\``))).toEqual([]);
  });

  it('lists every CCBRIDGE_* variable the sources read', () => {
    expect(envVarsInSources().filter((v) => !md.includes(`\`${v}\``))).toEqual([]);
  });
});

describe('README.md keeps up too', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('names every command in its command table', () => {
    const names = fullProgram
      .createHelp()
      .visibleCommands(fullProgram)
      .map((c) => c.name())
      .filter((n) => n !== 'help');
    expect(names.filter((n) => !readme.includes(`| \`ccbridge ${n}`) && !readme.includes(`\`ccbridge ${n} `))).toEqual(
      [],
    );
  });

  it('lists every CCBRIDGE_* variable the sources read', () => {
    expect(envVarsInSources().filter((v) => !readme.includes(`\`${v}\``))).toEqual([]);
  });
  it('names no CCBRIDGE_* variable the sources do not read (README and man page)', () => {
    const used = envVarsInSources();
    const named = [...`${readme}\n${md}`.matchAll(/\bCCBRIDGE_[A-Z][A-Z_]*[A-Z]\b/g)].map((m) => m[0]);
    expect([...new Set(named.filter((v) => !used.includes(v)))]).toEqual([]);
  });
});

describe('every `ccbridge …` line in README.md and the man page names real commands and options', () => {
  for (const file of ['README.md', 'man/ccbridge.1.md']) {
    it(file, () => {
      const problems = commandLines(readFileSync(join(ROOT, file), 'utf8')).flatMap(checkCommandLine);
      expect(problems).toEqual([]);
    });
  }
});

/** The `ccbridge …` invocations in inline code, fenced blocks and indented (man) examples. */
function commandLines(text: string): string[] {
  const snippets = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    else if (fenced || line.startsWith('    ')) snippets.push(line);
  }
  return (
    snippets
      .filter((s) => !s.includes('──')) // the README's diagram
      .map((s) => s.replace(/\\\|/g, '|')) // `\|` in table cells
      // Not `journalctl -u ccbridge`: there it names the unit.
      .flatMap((s) => [...s.matchAll(/(?<!-u )\bccbridge ([^;#)]*?)(?= \| | && |$|[;#)])/g)].map((m) => m[1]!.trim()))
      .filter((l) => l && !l.startsWith('<'))
  );
}

/** What is wrong with one invocation: an unknown command or subcommand, or an option that command lacks. */
function checkCommandLine(line: string): string[] {
  const words = line.split(/\s+/).map((w) => w.replace(/^[[<"']+|[\]>"',.:…]+$/g, ''));
  const find = (parent: Command, name: string) =>
    parent.commands.find((c) => c.name() === name || c.aliases().includes(name));
  const first = words[0]!;
  if (first.startsWith('-'))
    return ['-h', '--help', '-V', '--version'].includes(first) ? [] : [`ccbridge ${line}: unknown option ${first}`];
  if (first === 'help')
    return words[1] && !line.includes('<') && !find(fullProgram, words[1])
      ? [`ccbridge ${line}: no command ${words[1]}`]
      : [];
  const cmd = find(fullProgram, first);
  if (!cmd) return [`ccbridge ${line}: no command ${first}`];
  let targets = [cmd];
  if (cmd.commands.length && words[1] && !words[1].startsWith('-')) {
    targets = words[1].split('|').map((w) => find(cmd, w)!);
    if (targets.some((t) => !t)) return [`ccbridge ${line}: unknown subcommand in ${words[1]}`];
  }
  // Everything after ccbridge's own options goes to claude.
  if (cmd.name() === 'claude') return [];
  const known = new Set(['-h', '--help', ...targets.flatMap((t) => t.options.flatMap((o) => [o.long, o.short]))]);
  return words
    .map((w) => /^--?[A-Za-z][\w-]*/.exec(w)?.[0])
    .filter((o): o is string => Boolean(o) && !known.has(o))
    .map((o) => `ccbridge ${line}: ${cmd.name()} has no option ${o}`);
}

function envVarsInSources(): string[] {
  const used = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.tsx?$/.test(entry.name))
        for (const m of readFileSync(file, 'utf8').matchAll(/\bCCBRIDGE_[A-Z][A-Z_]*[A-Z]\b/g)) used.add(m[0]);
    }
  };
  walk(join(ROOT, 'src'));
  used.delete('CCBRIDGE_VERSION'); // the build-time define __CCBRIDGE_VERSION__
  expect(used.size).toBeGreaterThan(5);
  return [...used].sort();
}

describe('man/ccbridge.1 (generated by node build.mjs)', () => {
  it('is rebuilt from the current source', () => {
    expect(statSync(PAGE).mtimeMs, 'run node build.mjs').toBeGreaterThanOrEqual(statSync(SOURCE).mtimeMs);
    const page = readFileSync(PAGE, 'utf8');
    expect(page).toMatch(/^\.TH "CCBRIDGE" "1" ".+" "\d+\.\d+\.\d+" "ccbridge manual"\n/);
    expect(page).toContain('.SS ccbridge service install');
  });

  it('shows code as written, not HTML-escaped (`eval "$(ccbridge env)"`)', () => {
    const page = readFileSync(PAGE, 'utf8');
    expect(page).not.toMatch(/&(quot|#39|lt|gt|amp);/);
    expect(page).toContain('eval "$(ccbridge env)"');
  });

  it.skipIf(!has('groff'))('renders with groff -ww without a single warning', () => {
    const r = spawnSync('groff', ['-ww', '-man', '-Tutf8', PAGE], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.replace(/.\x08/g, '')).toContain('EXIT STATUS');
  });

  it.skipIf(!has('man'))('opens with man -l', () => {
    const text = execFileSync('man', ['-l', PAGE], {
      encoding: 'utf8',
      env: { ...process.env, MANPAGER: 'cat', PAGER: 'cat', MANWIDTH: '80' },
    });
    expect(text).toMatch(/ccbridge service install/);
    expect(text).toMatch(/CCBRIDGE_HOME/);
  });
});
