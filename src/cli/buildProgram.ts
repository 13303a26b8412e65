import { Command } from 'commander';
import { VERSION } from '../shared/version.js';
import { examplesHelp } from './examples.js';

/**
 * Every command is registered here, in the order `--help` shows them. Each entry loads its module
 * on demand (a chunk of its own in the bundle), so a run pays only for the command it invokes.
 */
interface CommandEntry {
  name: string;
  aliases?: string[];
  hidden?: boolean;
  /** Commands that inspect the whole program (completion) get every command loaded. */
  needsAll?: boolean;
  load(): Promise<Command>;
}

const actions = () => import('./commands/accountActions.js');

const REGISTRY: CommandEntry[] = [
  { name: 'start', load: async () => (await import('./commands/start.js')).startCommand() },
  { name: 'stop', load: async () => (await import('./commands/stop.js')).stopCommand() },
  { name: 'restart', load: async () => (await import('./commands/restart.js')).restartCommand() },
  { name: 'status', load: async () => (await import('./commands/status.js')).statusCommand() },
  { name: 'health', load: async () => (await import('./commands/health.js')).healthCommand() },
  { name: 'logs', load: async () => (await import('./commands/logs.js')).logsCommand() },
  { name: 'add', load: async () => (await import('./commands/add.js')).addCommand() },
  { name: 'list', aliases: ['ls'], load: async () => (await import('./commands/list.js')).listCommand() },
  { name: 'rm', aliases: ['remove'], load: async () => (await import('./commands/rm.js')).rmCommand() },
  { name: 'connect', aliases: ['login'], load: async () => (await import('./commands/connect.js')).connectCommand() },
  { name: 'logout', load: async () => (await import('./commands/logout.js')).logoutCommand() },
  { name: 'test', load: async () => (await import('./commands/test.js')).testCommand() },
  { name: 'limits', load: async () => (await import('./commands/limits.js')).limitsCommand() },
  { name: 'usage', load: async () => (await import('./commands/usage.js')).usageCommand() },
  { name: 'statusline', load: async () => (await import('./commands/statusline.js')).statuslineCommand() },
  { name: 'rename', load: async () => (await actions()).renameCommand() },
  { name: 'use', load: async () => (await actions()).useCommand() },
  { name: 'default', load: async () => (await actions()).defaultCommand() },
  { name: 'enable', load: async () => (await actions()).enableCommand() },
  { name: 'disable', load: async () => (await actions()).disableCommand() },
  { name: 'model', load: async () => (await import('./commands/model.js')).modelCommand() },
  { name: 'models', load: async () => (await import('./commands/models.js')).modelsCommand() },
  { name: 'fast', load: async () => (await import('./commands/fast.js')).fastCommand() },
  { name: 'config', load: async () => (await import('./commands/config.js')).configCommand() },
  { name: 'token', load: async () => (await import('./commands/token.js')).tokenCommand() },
  { name: 'tui', load: async () => (await import('./commands/tui.js')).tuiCommand() },
  { name: 'apply-claude', load: async () => (await import('./commands/applyClaude.js')).applyClaudeCommand() },
  { name: 'env', load: async () => (await import('./commands/env.js')).envCommand() },
  { name: 'claude', load: async () => (await import('./commands/claude.js')).claudeCommand() },
  { name: 'completion', load: async () => (await import('./commands/completion.js')).completionCommand() },
  { name: 'version', load: async () => (await import('./commands/version.js')).versionCommand() },
  { name: 'service', load: async () => (await import('./commands/service.js')).serviceCommand() },
  {
    name: '__complete',
    hidden: true,
    needsAll: true,
    load: async () => (await import('./commands/complete.js')).completeCommand(),
  },
];

/** The registry entry `argv` invokes, if it names one and needs nothing else. */
function invokedEntry(argv: string[]): CommandEntry | undefined {
  const word = argv.slice(2).find((a) => !a.startsWith('-'));
  const entry = REGISTRY.find((e) => e.name === word || e.aliases?.includes(word ?? ''));
  return entry?.needsAll ? undefined : entry;
}

/**
 * Builds the program. Given the process argv, only the invoked command is loaded; for help, an
 * unknown name (suggestions) or no argv, every command is.
 */
export async function buildProgram(argv?: string[]): Promise<Command> {
  const program = new Command('ccbridge')
    .description('Run Claude Code on your OpenAI Codex (ChatGPT) quota, across several accounts')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError()
    // Options after a subcommand belong to it, so `ccbridge claude` can pass claude's own flags through.
    .enablePositionalOptions()
    // Names only in the command list (`ccbridge help <command>` has the rest), so descriptions get the width of an
    // 80-column terminal and wrap between words.
    .configureHelp({
      sortSubcommands: false,
      subcommandTerm: (cmd) => [cmd.name(), ...cmd.aliases()].join('|'),
      helpWidth: Math.min(process.stdout.columns || 80, 100),
    })
    .addHelpText(
      'after',
      [
        '',
        'Getting started:',
        '  ccbridge add work && ccbridge login work   add an account and sign it in',
        '  ccbridge apply-claude                      point Claude Code at the bridge',
        '  ccbridge claude                            or run Claude Code through it once',
        '',
        'Every command starts the daemon when needed.',
        'More: man ccbridge, ccbridge help <command>.',
      ].join('\n'),
    );

  const only = argv && invokedEntry(argv);
  const entries = only ? [only] : REGISTRY;
  const commands = await Promise.all(entries.map((e) => e.load()));
  entries.forEach((entry, i) => {
    const command = commands[i]!;
    const examples = examplesHelp(entry.name);
    if (examples) command.addHelpText('after', examples);
    program.addCommand(command, { hidden: Boolean(entry.hidden) });
  });
  return program;
}
