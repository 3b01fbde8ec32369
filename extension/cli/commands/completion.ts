import { resolve } from 'node:path';
import { readLabFile } from '../../core/lab/load';
import { defineCommand } from '../command-spec';
import { completeWords, completionOutput, labNames } from '../complete';
import { completionScript, COMPLETION_SHELLS, type CompletionShell } from '../completion-scripts';
import { UsageError } from '../io';
import type { CliCommand, LeafCommand } from '../command-spec';

/** `qemu-lab completion bash|zsh`: prints the shell's completion script. */
export const completionCommand = defineCommand({
  name: 'completion',
  operands: { synopsis: COMPLETION_SHELLS.join('|'), count: 1, what: 'shell name (bash or zsh)' },
  summary: 'print the shell completion script for bash or zsh (commands, options, VM, host, experiment and migration names)',
  example: ['qemu-lab completion bash > ~/.local/share/bash-completion/completions/qemu-lab'],
  async run({ positionals: [shell = ''] }, _global, io) {
    if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) throw new UsageError(`completion knows ${COMPLETION_SHELLS.join(' and ')}, not "${shell}".`);
    io.out(completionScript(shell as CompletionShell));
    return 0;
  },
});

/**
 * `qemu-lab internal complete -- WORDS…`: what the completion scripts call on Tab. `WORDS` are
 * the words after `qemu-lab` up to the cursor's (the last, maybe empty). Reads the lab file for
 * names and nothing else: no host is probed and no process started.
 */
export function internalCompleteCommand(commands: () => readonly CliCommand[]): LeafCommand {
  return defineCommand({
    name: 'complete',
    operands: { synopsis: '-- WORDS…', count: 'any' },
    summary: '(used by the completion scripts: what fits at the cursor)',
    async run({ positionals }, global, io) {
      const answer = completeWords(commands(), positionals.length === 0 ? [''] : positionals);
      if (answer.kind !== 'lab-names') {
        io.out(completionOutput(answer));
        return 0;
      }
      const { lab } = await readLabFile(answer.labFile === undefined ? global.file : resolve(io.cwd, answer.labFile));
      const names = lab === undefined ? [] : labNames(lab, answer.what).filter((name) => name.startsWith(answer.prefix));
      io.out(completionOutput({ kind: 'words', words: names }));
      return 0;
    },
  });
}
