import { Argument, Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/buildProgram.js';
import { completeWords, formatCompletion, type CompletionSource } from '../../../src/cli/complete/completeWords.js';

/** Every registered command (the program loads them lazily; tests want them all). */
const fullProgram = await buildProgram();

/** Records which account the model list was asked for. */
function fakeSource() {
  const modelCalls: Array<string | null> = [];
  const source: CompletionSource = {
    accounts: () => [{ value: 'work', description: 'active' }, { value: 'personal' }],
    models: (account) => {
      modelCalls.push(account);
      return [{ value: 'gpt-5.5' }, { value: 'gpt-5.4' }];
    },
  };
  return { source, modelCalls };
}

const values = (words: string[], root: Command = fullProgram) => {
  const r = completeWords(root, words, fakeSource().source);
  return r.files ? [':files'] : r.candidates.map((c) => c.value);
};

describe('completeWords over the real program', () => {
  it('offers every visible command (not hidden ones) plus help', () => {
    const names = values(['']);
    const program = fullProgram;
    for (const cmd of program.commands.filter((c) => c.name() !== '__complete')) expect(names).toContain(cmd.name());
    expect(names).toContain('help');
    expect(names).not.toContain('__complete');
  });

  it('completes account names for commands taking <account>, also through an alias', () => {
    expect(values(['use', ''])).toEqual(['work', 'personal']);
    expect(values(['remove', ''])).toEqual(['work', 'personal']);
    expect(values(['rename', ''])).toEqual(['work', 'personal']);
    // rename's second argument is a new free-text name
    expect(values(['rename', 'work', ''])).toEqual([]);
  });

  it("completes an option's value from its placeholder and choices", () => {
    expect(values(['fast', '--account', ''])).toEqual(['work', 'personal']);
    expect(values(['fast', '-a', ''])).toEqual(['work', 'personal']);
    expect(values(['fast', ''])).toEqual(['on', 'off', 'inherit']);
    expect(values(['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });

  it('skips option values while walking, so positionals keep their place', () => {
    expect(values(['fast', '--account', 'work', ''])).toEqual(['on', 'off', 'inherit']);
    expect(values(['add', '--model', 'gpt-5.5', 'x', '--'])).toContain('--json');
  });

  it('asks for the models of the account named earlier on the line', () => {
    const { source, modelCalls } = fakeSource();
    const r = completeWords(fullProgram, ['model', 'work', ''], source);
    expect(r.candidates.map((c) => c.value)).toEqual(['gpt-5.5', 'gpt-5.4']);
    expect(modelCalls).toEqual(['work']);
    completeWords(fullProgram, ['add', 'x', '--model', ''], source);
    expect(modelCalls).toEqual(['work', null]);
  });

  it('lists options not given yet, including the ones of the command itself', () => {
    const opts = values(['rm', '--yes', '-']);
    expect(opts).toContain('--json');
    expect(opts).toContain('--help');
    expect(opts).not.toContain('--yes');
    expect(values(['-'])).toEqual(expect.arrayContaining(['--version', '--help']));
  });

  it("completes setting keys and each key's values for config set", () => {
    expect(values(['config', ''])).toEqual(['list', 'get', 'set']);
    expect(values(['config', 'set', ''])).toEqual(expect.arrayContaining(['fastMode', 'routing', 'opusModel']));
    expect(values(['config', 'set', 'routing', ''])).toEqual(['manual', 'failover', 'balance', 'drain']);
    expect(values(['config', 'set', 'fastMode', ''])).toEqual(['true', 'false']);
    expect(values(['config', 'set', 'transport', ''])).toEqual(['auto', 'websocket', 'http']);
    expect(values(['config', 'set', 'opusModel', ''])).toEqual(['gpt-5.5', 'gpt-5.4', 'null']);
    expect(values(['config', 'set', 'claudeSettingsPath', ''])).toEqual([':files']);
  });

  it('completes command names after help', () => {
    expect(values(['help', ''])).toEqual(expect.arrayContaining(['use', 'start', 'config']));
  });

  it('stops offering options after --', () => {
    expect(values(['use', '--', '-'])).toEqual(['work', 'personal']);
  });
});

describe('completeWords is driven by the command tree alone', () => {
  // A command registered tomorrow completes without touching the completion code.
  const root = new Command('x');
  root.addCommand(
    new Command('deploy')
      .argument('<account>')
      .addArgument(new Argument('[mode]').choices(['fast', 'slow']))
      .addOption(new Option('--settings <path>'))
      .option('--dry-run'),
  );
  root.addCommand(
    new Command('group').addCommand(new Command('inner').argument('[model]')).addCommand(new Command('other')),
  );

  it('walks nested subcommands and placeholders', () => {
    expect(values([''], root)).toEqual(['deploy', 'group', 'help']);
    expect(values(['deploy', ''], root)).toEqual(['work', 'personal']);
    expect(values(['deploy', 'work', ''], root)).toEqual(['fast', 'slow']);
    expect(values(['deploy', '--settings', ''], root)).toEqual([':files']);
    expect(values(['deploy', '--settings=a', '-'], root)).toEqual(['--dry-run', '--help']);
    expect(values(['group', ''], root)).toEqual(['inner', 'other', 'help']);
    expect(values(['group', 'inner', ''], root)).toEqual(['gpt-5.5', 'gpt-5.4']);
  });
});

describe('formatCompletion', () => {
  it('prints value<TAB>description lines, or the files directive', () => {
    expect(
      formatCompletion({
        files: false,
        candidates: [{ value: 'a', description: 'x\ty\nz' }, { value: 'b' }, { value: 'bad value' }],
      }),
    ).toBe('a\tx y z\nb\n');
    expect(formatCompletion({ files: true, candidates: [] })).toBe(':files\n');
  });
});
