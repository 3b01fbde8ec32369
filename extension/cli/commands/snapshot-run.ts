import { stateRoot } from '../../core/machines/vm/run-dir';
import type { SnapshotSubject } from '../../core/snapshots/vm-snapshots';
import { withSnapshotSubject } from '../../core/snapshots/snapshot-vm';
import type { CliIo, GlobalOptions } from '../io';
import { withRunningVm } from '../running-vm';

/** Runs `use` on the snapshot subject of the running VM `vmName` of the lab file. */
export function withVmSnapshots<T>(vmName: string, global: GlobalOptions, io: CliIo, use: (subject: SnapshotSubject) => Promise<T>): Promise<T> {
  return withRunningVm(vmName, global, io, ({ lab, backend, instance }) => withSnapshotSubject({ lab, backend, stateRoot: stateRoot(io.env) }, instance, use));
}
