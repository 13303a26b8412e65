import { Command } from 'commander';
import { VERSION } from '../shared/version.js';
import { addCommand } from './commands/add.js';
import { applyClaudeCommand } from './commands/applyClaude.js';
import { claudeCommand } from './commands/claude.js';
import { completeCommand } from './commands/complete.js';
import { completionCommand } from './commands/completion.js';
import { defaultCommand, disableCommand, enableCommand, renameCommand, useCommand } from './commands/accountActions.js';
import { configCommand } from './commands/config.js';
import { connectCommand } from './commands/connect.js';
import { envCommand } from './commands/env.js';
import { fastCommand } from './commands/fast.js';
import { healthCommand } from './commands/health.js';
import { limitsCommand } from './commands/limits.js';
import { listCommand } from './commands/list.js';
import { logoutCommand } from './commands/logout.js';
import { logsCommand } from './commands/logs.js';
import { modelCommand } from './commands/model.js';
import { modelsCommand } from './commands/models.js';
import { restartCommand } from './commands/restart.js';
import { rmCommand } from './commands/rm.js';
import { serviceCommand } from './commands/service.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { stopCommand } from './commands/stop.js';
import { testCommand } from './commands/test.js';
import { tokenCommand } from './commands/token.js';
import { tuiCommand } from './commands/tui.js';

/** Every command is registered here, in the order `--help` shows them. */
export function buildProgram(): Command {
  const program = new Command('ccbridge')
    .description('Run Claude Code on your OpenAI Codex (ChatGPT) quota, across several accounts')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError()
    // Options after a subcommand belong to it, so `ccbridge claude` can pass claude's own flags through.
    .enablePositionalOptions()
    .configureHelp({ sortSubcommands: false });

  const commands = [
    startCommand(),
    stopCommand(),
    restartCommand(),
    statusCommand(),
    healthCommand(),
    logsCommand(),
    addCommand(),
    listCommand(),
    rmCommand(),
    connectCommand(),
    logoutCommand(),
    testCommand(),
    limitsCommand(),
    renameCommand(),
    useCommand(),
    defaultCommand(),
    enableCommand(),
    disableCommand(),
    modelCommand(),
    modelsCommand(),
    fastCommand(),
    configCommand(),
    tokenCommand(),
    tuiCommand(),
    applyClaudeCommand(),
    envCommand(),
    claudeCommand(),
    completionCommand(),
    serviceCommand(),
  ];
  for (const cmd of commands) program.addCommand(cmd);
  program.addCommand(completeCommand(), { hidden: true });
  return program;
}
