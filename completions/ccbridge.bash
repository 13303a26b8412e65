# bash completion for ccbridge (and its alias claude-codex-bridge)
#
# Install (one of):
#   ccbridge completion bash > ~/.local/share/bash-completion/completions/ccbridge
#   echo 'source <(ccbridge completion bash)' >> ~/.bashrc
#
# Candidates come from `ccbridge __complete`, which walks the command tree and reads account
# names from the state file directly: it is fast and never starts the daemon.

_ccbridge() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local out line
    local -a values=()
    out=$("${COMP_WORDS[0]}" __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0
    if [[ $out == ":files" ]]; then
        compopt -o filenames 2>/dev/null
        local IFS=$'\n'
        COMPREPLY=($(compgen -f -- "$cur"))
        return 0
    fi
    while IFS= read -r line; do
        [[ -n $line ]] && values+=("${line%%$'\t'*}")
    done <<<"$out"
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "${values[*]}" -- "$cur"))
}

complete -F _ccbridge ccbridge claude-codex-bridge
