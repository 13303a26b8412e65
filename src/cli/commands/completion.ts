import { Argument, Command } from 'commander';
import { SHELLS, completionScript, type Shell } from '../complete/completionScript.js';

// Every line works on a fresh machine: the directories are created, and zsh gets a directory in HOME on its
// fpath (the first fpath entry is usually a system directory the user cannot write).
const INSTALL_HELP = `
Install (directories are created when missing):
  bash (with the bash-completion package):
    mkdir -p ~/.local/share/bash-completion/completions
    ccbridge completion bash > ~/.local/share/bash-completion/completions/ccbridge
  or add  source <(ccbridge completion bash)  to ~/.bashrc
  zsh:
    mkdir -p ~/.zfunc && ccbridge completion zsh > ~/.zfunc/_ccbridge
  then in ~/.zshrc, before compinit:  fpath=(~/.zfunc $fpath)
  (no compinit there yet? add after it:  autoload -Uz compinit && compinit)
  fish:
    mkdir -p ~/.config/fish/completions
    ccbridge completion fish > ~/.config/fish/completions/ccbridge.fish

Account and model names complete live from the state file; the daemon need not
run.`;

export function completionCommand(): Command {
  return new Command('completion')
    .description('print the shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'bash | zsh | fish').choices(SHELLS))
    .addHelpText('after', INSTALL_HELP)
    .action((shell: Shell) => {
      process.stdout.write(completionScript(shell));
    });
}
