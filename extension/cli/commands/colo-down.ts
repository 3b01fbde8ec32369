import { pairDown } from '../../core/colo/pair-down';
import { stateRoot } from '../../core/machines/vm/run-dir';
import { defineCommand, ONE_VM } from '../command-spec';
import { withLab } from '../vm-context';

/** `qemu-lab colo down VM`: kills both QEMUs of the VM's pair (`kill VM` would end only the side the VM is found at). */
export const coloDownCommand = defineCommand({
  name: 'down',
  operands: ONE_VM,
  summary: 'kill both QEMUs of the pair and forget it',
  example: 'qemu-lab colo down vm1',
  async run({ positionals: [vmName = ''] }, global, io) {
    const ended = await withLab(global, io, (lab, { backend }) => pairDown(backend, stateRoot(io.env), lab.path, vmName));
    if (global.json) io.out(JSON.stringify({ vm: vmName, killed: ended }) + '\n');
    else io.out(`${vmName}: ${ended.length === 0 ? 'nothing of the pair was running' : `killed the ${ended.join(' and the ')}`}; the pair is forgotten.\n`);
    return 0;
  },
});
