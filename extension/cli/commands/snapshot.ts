import { defineGroup } from '../command-spec';
import { snapshotCommitCommand } from './snapshot-commit';
import { snapshotDeleteCommand } from './snapshot-delete';
import { snapshotListCommand } from './snapshot-list';
import { snapshotLoadCommand } from './snapshot-load';
import { snapshotRevertCommand } from './snapshot-revert';
import { snapshotSaveCommand } from './snapshot-save';

/** `qemu-lab snapshot save|load|list|delete|commit|revert VM [NAME]`: whole-VM and disk-only snapshots of a running VM. */
export const snapshotCommand = defineGroup({
  name: 'snapshot',
  summary: 'snapshots of a running VM: save, load (revert), list, delete; disk-only ones: save --disk-only, commit, revert (powered down)',
  subcommands: [snapshotSaveCommand, snapshotLoadCommand, snapshotListCommand, snapshotDeleteCommand, snapshotCommitCommand, snapshotRevertCommand],
});
