/**
 * The snapshot rows under a running VM in the "Hosts and VMs" tree, as plain data: one per
 * whole-VM snapshot, oldest first, with when it was taken and what it holds; or one row saying
 * why there are none to show. No `vscode` here, so it is unit-tested; vscode/tree turns it into
 * tree items.
 */
import type { VmSnapshot } from '../../core/snapshots/snapshot-list';
import type { VmNode } from './nodes';

/** A snapshot of a VM. */
export interface SnapshotNode {
  readonly kind: 'snapshot';
  readonly vm: VmNode;
  readonly snapshot: VmSnapshot;
}

/** The row a VM shows when it has no snapshot to list: none yet, or they could not be read. */
export interface SnapshotNoteNode {
  readonly kind: 'snapshot-note';
  readonly vm: VmNode;
  /** `none`: offers Take Snapshot; `unavailable`: says why (`reason`). */
  readonly note: 'none' | 'unavailable';
  readonly reason?: string;
}

/** A row under a VM. */
export type VmChildNode = SnapshotNode | SnapshotNoteNode;

/** The rows of a VM's snapshots as read, or of the reason they could not be. */
export function snapshotRows(vm: VmNode, read: { readonly snapshots: readonly VmSnapshot[] } | { readonly error: string }): VmChildNode[] {
  if ('error' in read) return [{ kind: 'snapshot-note', vm, note: 'unavailable', reason: read.error }];
  if (read.snapshots.length === 0) return [{ kind: 'snapshot-note', vm, note: 'none' }];
  return read.snapshots.map((snapshot) => ({ kind: 'snapshot', vm, snapshot }));
}

const MIB = 1024 * 1024;

/** `2026-12-02 18:40 UTC · memory 212 MiB · after 35 s`, `… · disks only`, `… · not on every disk`. */
export function snapshotDescription(snapshot: VmSnapshot): string {
  const when = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(snapshot.date);
  const parts = [when === null ? snapshot.date : `${when[1]} ${when[2]} UTC`];
  parts.push(snapshot.kind === 'memory' ? `memory ${Math.max(1, Math.round(snapshot.vmStateBytes / MIB))} MiB` : 'disks only');
  parts.push(`after ${Math.round(snapshot.vmClockSeconds)} s`);
  if (!snapshot.complete) parts.push('not on every disk');
  return parts.join(' · ');
}

/** Whether a VM in this state has snapshots to list: it runs (or is paused) and is not moving. */
export function listsSnapshots(state: string): boolean {
  return state === 'running' || state === 'paused';
}
