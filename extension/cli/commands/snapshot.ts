import { defineGroup } from '../command-spec';
import { snapshotDeleteCommand } from './snapshot-delete';
import { snapshotListCommand } from './snapshot-list';
import { snapshotLoadCommand } from './snapshot-load';
import { snapshotSaveCommand } from './snapshot-save';

/** `qemu-lab snapshot save|load|list|delete VM [NAME]`: whole-VM snapshots of a running VM. */
export const snapshotCommand = defineGroup({
  name: 'snapshot',
  summary: 'whole-VM snapshots of a running VM: save, load (revert), list, delete',
  subcommands: [snapshotSaveCommand, snapshotLoadCommand, snapshotListCommand, snapshotDeleteCommand],
});
