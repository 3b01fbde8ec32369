import { pairDown } from '../../core/colo/pair-down';
import { stateRoot } from '../../core/machines/vm/run-dir';
import { UsageError, type CliIo, type GlobalOptions } from '../io';
import { loadLabOrFail } from '../load-lab';
import { withVmDependencies } from '../vm-context';

/** `qemu-lab colo down VM`: kills both QEMUs of the VM's pair (`kill VM` would end only the side the VM is found at). */
export async function coloDownCommand(args: readonly string[], global: GlobalOptions, io: CliIo): Promise<number> {
  const [vmName, ...extra] = args;
  if (vmName === undefined || extra.length > 0) throw new UsageError('colo down takes exactly one VM name.');
  const lab = await loadLabOrFail(global.file, io);
  const ended = await withVmDependencies(lab, global, io, ({ backend }) => pairDown(backend, stateRoot(io.env), lab.path, vmName));
  if (global.json) io.out(JSON.stringify({ vm: vmName, killed: ended }) + '\n');
  else io.out(`${vmName}: ${ended.length === 0 ? 'nothing of the pair was running' : `killed the ${ended.join(' and the ')}`}; the pair is forgotten.\n`);
  return 0;
}
