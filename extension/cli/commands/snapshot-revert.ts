import { resolveVm } from '../../core/machines/vm/resolve-vm';
import { stateRoot } from '../../core/machines/vm/run-dir';
import { revertDiskSnapshot } from '../../core/snapshots/snapshot-vm';
import { defineCommand } from '../command-spec';
import { UsageError } from '../io';
import { loadLabOrFail } from '../load-lab';
import { withVmDependencies } from '../vm-context';

/**
 * `qemu-lab snapshot revert VM NAME`: a powered-down disk guest's disk goes back to disk-only
 * snapshot NAME (newer disk-only snapshots and every write since are dropped); it boots from there.
 */
export const snapshotRevertCommand = defineCommand({
  name: 'revert',
  operands: { synopsis: 'VM NAME', count: 'any', what: 'VM name', complete: 'vm' },
  summary: 'put a powered-down VM\'s disk back to a disk-only snapshot (writes since, and newer disk-only snapshots, are dropped)',
  example: 'qemu-lab snapshot revert vm1 before-test',
  async run({ positionals: [vmName, name, ...extra] }, global, io) {
    if (vmName === undefined || name === undefined || extra.length > 0) throw new UsageError('snapshot revert takes a VM and a disk-only snapshot name.');
    const lab = await loadLabOrFail(global.file, io);
    const vm = resolveVm(lab, vmName);
    const result = await withVmDependencies(lab, global, io, async ({ backend }) => {
      const instance = await backend.find({ labPath: lab.path, vmName, host: vm.host });
      return revertDiskSnapshot({ lab, backend, stateRoot: stateRoot(io.env) }, vmName, instance, name);
    });
    if (global.json) io.out(JSON.stringify({ vm: vmName, reverted: result.snapshot.name, removed: result.removed }) + '\n');
    else {
      const dropped = result.removed.length === 0 ? '' : `; newer disk-only snapshots removed: ${result.removed.join(', ')}`;
      io.out(`${vmName}: disk put back to disk-only snapshot "${result.snapshot.name}"${dropped}. qemu-lab up ${vmName} boots from there.\n`);
    }
    return 0;
  },
});
