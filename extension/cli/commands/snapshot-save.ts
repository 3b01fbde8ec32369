import { saveDiskOnlySnapshot } from '../../core/snapshots/disk-layers';
import { timestampedName } from '../../core/snapshots/snapshot-name';
import { saveSnapshot } from '../../core/snapshots/vm-snapshots';
import { snapshotDescription } from '../../presentation/snapshots/snapshot-words';
import { defineCommand } from '../command-spec';
import { UsageError } from '../io';
import { withVmSnapshots } from './snapshot-run';

/**
 * `qemu-lab snapshot save VM [NAME] [--disk-only]`: the whole running VM (memory, devices,
 * disks); with `--disk-only`, the disk of a disk guest alone, as a new layer the guest runs on
 * (never paused). A timestamped name when none is given.
 */
export const snapshotSaveCommand = defineCommand({
  name: 'save',
  operands: { synopsis: 'VM [NAME]', count: 'any', what: 'VM name', complete: 'vm' },
  options: {
    'disk-only': { help: "the disk guest's disk alone, as an external layer the guest goes on writing to (no pause, no memory): undone by snapshot commit, not loaded" },
  },
  summary: 'snapshot the whole running VM: memory, devices, disks (NAME: snap-<UTC time>); --disk-only: its disk alone',
  example: ['qemu-lab snapshot save vm1 before-upgrade', 'qemu-lab snapshot save vm1 before-test --disk-only'],
  async run({ values, positionals: [vmName, name, ...extra] }, global, io) {
    if (vmName === undefined || extra.length > 0) throw new UsageError('snapshot save takes a VM and at most one snapshot name.');
    const tag = name ?? timestampedName(new Date());
    const saved = await withVmSnapshots(vmName, global, io, (subject) => (values['disk-only'] === true ? saveDiskOnlySnapshot(subject, tag) : saveSnapshot(subject, tag)));
    if (global.json) io.out(JSON.stringify({ vm: vmName, snapshot: saved }) + '\n');
    else io.out(`${vmName}: saved snapshot "${saved.name}" (${snapshotDescription(saved)}).\n`);
    return 0;
  },
});
