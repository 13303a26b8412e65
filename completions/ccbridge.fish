# fish completion for ccbridge (and its alias claude-codex-bridge)
#
# Install (one of):
#   ccbridge completion fish > ~/.config/fish/completions/ccbridge.fish
#   ccbridge completion fish | source
#
# Candidates come from `ccbridge __complete`, which walks the command tree and reads account
# names from the state file directly: it is fast and never starts the daemon.

function __ccbridge_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l out ($tokens[1] __complete -- $tokens[2..-1] "$current" 2>/dev/null)
    if test "$out[1]" = ':files'
        __fish_complete_path "$current"
        return
    end
    printf '%s\n' $out
end

complete -c ccbridge -f -a '(__ccbridge_complete)'
complete -c claude-codex-bridge -f -a '(__ccbridge_complete)'
