import { deleteSnapshot } from '../../core/snapshots/vm-snapshots';
import { defineCommand } from '../command-spec';
import { UsageError } from '../io';
import { withVmSnapshots } from './snapshot-run';

/** `qemu-lab snapshot delete VM NAME`: removes a snapshot from every disk of the VM; the guest runs on. */
export const snapshotDeleteCommand = defineCommand({
  name: 'delete',
  operands: { synopsis: 'VM NAME', count: 'any', what: 'VM name', complete: 'vm' },
  summary: 'delete a snapshot of a running VM',
  example: 'qemu-lab snapshot delete vm1 before-upgrade',
  async run({ positionals: [vmName, name, ...extra] }, global, io) {
    if (vmName === undefined || name === undefined || extra.length > 0) throw new UsageError('snapshot delete takes a VM and a snapshot name.');
    const deleted = await withVmSnapshots(vmName, global, io, (subject) => deleteSnapshot(subject, name));
    if (global.json) io.out(JSON.stringify({ vm: vmName, deleted: deleted.name }) + '\n');
    else io.out(`${vmName}: deleted snapshot "${deleted.name}".\n`);
    return 0;
  },
});
