import { Argument, Command } from 'commander';
import { SHELLS, completionScript, type Shell } from '../complete/completionScript.js';

const INSTALL_HELP = `
Install:
  bash  ccbridge completion bash > ~/.local/share/bash-completion/completions/ccbridge
        (or add  source <(ccbridge completion bash)  to ~/.bashrc)
  zsh   ccbridge completion zsh > "\${fpath[1]}/_ccbridge"   then start a new shell
        (or add  source <(ccbridge completion zsh)  to ~/.zshrc, after compinit)
  fish  ccbridge completion fish > ~/.config/fish/completions/ccbridge.fish

Account and model names complete live from the state file; the daemon need not run.`;

export function completionCommand(): Command {
  return new Command('completion')
    .description('print the shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'bash | zsh | fish').choices(SHELLS))
    .addHelpText('after', INSTALL_HELP)
    .action((shell: Shell) => {
      process.stdout.write(completionScript(shell));
    });
}
