/**
 * The shell scripts `qemu-lab completion bash|zsh` prints. Each asks the CLI itself what fits
 * (`qemu-lab internal complete -- WORDS…`, see complete.ts): the first line of its answer says
 * `words` (one a line follows) or `files` (the shell completes file names). The CLI is called
 * as the user typed it (`${COMP_WORDS[0]}`), so `./dist/cli.js` completes as well as `qemu-lab`.
 */

/** Shells there is a completion script for. */
export const COMPLETION_SHELLS = ['bash', 'zsh'] as const;

/** One of {@link COMPLETION_SHELLS}. */
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

const BASH = `# bash completion for qemu-lab. Load it with:
#   source <(qemu-lab completion bash)
# or save it as ~/.local/share/bash-completion/completions/qemu-lab
_qemu_lab() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  local program=\${COMP_WORDS[0]/#\\~/$HOME}
  local -a answer
  mapfile -t answer < <("$program" internal complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  COMPREPLY=()
  case \${answer[0]} in
    files)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      ;;
    words) COMPREPLY=("\${answer[@]:1}") ;;
  esac
}
complete -F _qemu_lab qemu-lab
`;

const ZSH = `#compdef qemu-lab
# zsh completion for qemu-lab. Load it (after compinit) with:
#   source <(qemu-lab completion zsh)
# or save it as _qemu-lab in a folder of $fpath
_qemu_lab() {
  local -a answer
  answer=("\${(@f)$("\${~words[1]}" internal complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  case \${answer[1]} in
    files) _files ;;
    words) compadd -- "\${(@)answer[2,-1]}" ;;
  esac
}
if (( $+functions[compdef] )); then compdef _qemu_lab qemu-lab; fi
`;

/** The completion script for `shell`. */
export function completionScript(shell: CompletionShell): string {
  return shell === 'bash' ? BASH : ZSH;
}
