import { hasErrors } from '../../core/lab/diagnostic';
import { readLabFile } from '../../core/lab/load';
import { defineCommand } from '../command-spec';
import { formatForTerminal } from '../load-lab';

/** `qemu-lab check`: the lab file's problems as `path:line:col: error|warning: message`; exit 1 on errors. */
export const checkCommand = defineCommand({
  name: 'check',
  noOperandsHint: 'name the file with -f',
  summary: 'report the problems of the lab file; exit 1 if there are errors',
  example: 'qemu-lab -f lab2.qemu-lab.yaml check',
  async run(_input, global, io) {
    const { diagnostics } = await readLabFile(global.file);
    if (global.json) {
      io.out(JSON.stringify(diagnostics, null, 2) + '\n');
    } else if (diagnostics.length > 0) {
      io.out(formatForTerminal(diagnostics, io.cwd) + '\n');
    }
    return hasErrors(diagnostics) ? 1 : 0;
  },
});
