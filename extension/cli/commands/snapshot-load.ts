import { loadSnapshot } from '../../core/snapshots/vm-snapshots';
import { snapshotDescription } from '../../presentation/snapshots/snapshot-words';
import { defineCommand } from '../command-spec';
import { UsageError } from '../io';
import { withVmSnapshots } from './snapshot-run';

/** `qemu-lab snapshot load VM NAME`: the running VM goes back to that snapshot (memory, devices, disks). */
export const snapshotLoadCommand = defineCommand({
  name: 'load',
  operands: { synopsis: 'VM NAME', count: 'any', what: 'VM name', complete: 'vm' },
  summary: 'revert the running VM to a snapshot',
  example: 'qemu-lab snapshot load vm1 before-upgrade',
  async run({ positionals: [vmName, name, ...extra] }, global, io) {
    if (vmName === undefined || name === undefined || extra.length > 0) throw new UsageError('snapshot load takes a VM and a snapshot name.');
    const loaded = await withVmSnapshots(vmName, global, io, (subject) => loadSnapshot(subject, name));
    if (global.json) io.out(JSON.stringify({ vm: vmName, snapshot: loaded }) + '\n');
    else io.out(`${vmName}: back at snapshot "${loaded.name}" (${snapshotDescription(loaded)}).\n`);
    return 0;
  },
});
