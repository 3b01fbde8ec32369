import { commitDiskLayer } from '../../core/snapshots/disk-layers';
import { defineCommand, ONE_VM } from '../command-spec';
import { withVmSnapshots } from './snapshot-run';

/** `qemu-lab snapshot commit VM`: merges the newest disk-only snapshot's layer back into the disk under it, and removes the layer. */
export const snapshotCommitCommand = defineCommand({
  name: 'commit',
  operands: ONE_VM,
  summary: "merge the newest disk-only snapshot back into the disk (the guest's writes stay, the snapshot goes)",
  example: 'qemu-lab snapshot commit vm1',
  async run({ positionals: [vmName = ''] }, global, io) {
    const committed = await withVmSnapshots(vmName, global, io, (subject) => commitDiskLayer(subject));
    if (global.json) io.out(JSON.stringify({ vm: vmName, committed: committed.name }) + '\n');
    else io.out(`${vmName}: committed disk-only snapshot "${committed.name}" into the disk under it; its layer file is removed.\n`);
    return 0;
  },
});
