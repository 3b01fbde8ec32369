import { listSnapshots } from '../../core/snapshots/vm-snapshots';
import { snapshotTable } from '../../presentation/snapshots/snapshot-words';
import { defineCommand, ONE_VM } from '../command-spec';
import { withVmSnapshots } from './snapshot-run';

/** `qemu-lab [--json] snapshot list VM`: the VM's snapshots (name, time, kind, memory size). */
export const snapshotListCommand = defineCommand({
  name: 'list',
  operands: ONE_VM,
  summary: "list a running VM's snapshots (name, time, with memory or disk-only, size)",
  example: 'qemu-lab --json snapshot list vm1',
  async run({ positionals: [vmName = ''] }, global, io) {
    const snapshots = await withVmSnapshots(vmName, global, io, (subject) => listSnapshots(subject));
    io.out(global.json ? JSON.stringify(snapshots, null, 2) + '\n' : snapshotTable(vmName, snapshots));
    return 0;
  },
});
