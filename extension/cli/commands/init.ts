import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { LabFileError } from '../../core/errors';
import { exampleLabText } from '../../core/lab/example';
import { defineCommand } from '../command-spec';

/** `qemu-lab init`: writes the commented example lab file; never overwrites one. */
export const initCommand = defineCommand({
  name: 'init',
  noOperandsHint: 'name the file with -f',
  summary: 'write a commented example lab file (./qemu-lab.yaml, or the -f path)',
  example: 'qemu-lab -f lab2.qemu-lab.yaml init',
  async run(_input, global, io) {
    try {
      await writeFile(global.file, exampleLabText, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new LabFileError(`${relative(io.cwd, global.file)} exists already; nothing was written.`, {
          hint: 'Name another file with -f, e.g. qemu-lab -f lab2.qemu-lab.yaml init.',
        });
      }
      throw error;
    }
    io.out(`Wrote ${relative(io.cwd, global.file)}. Boot its VM with: qemu-lab up vm1\n`);
    return 0;
  },
});
