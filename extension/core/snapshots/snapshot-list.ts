/** The VM's snapshots as a user sees them: from the node that holds the memory, checked against every disk. */
import type { NamedBlockNode, SnapshotInfo } from './block-parsers';
import type { SnapshotTargets } from './targets';

/** One whole-VM snapshot. */
export interface VmSnapshot {
  readonly name: string;
  /** When it was taken (ISO 8601). */
  readonly date: string;
  /** Bytes of memory and device state saved; 0 when disk-only. */
  readonly vmStateBytes: number;
  /** `memory`: the running guest (memory, devices, disks); `disk-only`: the disks alone. */
  readonly kind: 'memory' | 'disk-only';
  /** How long the VM had run when it was taken (QEMU's virtual clock, from QEMU's start, pauses left out), in seconds. */
  readonly vmClockSeconds: number;
  /** False when some disk of the VM lacks it (a load would fail): it was taken with other disks. */
  readonly complete: boolean;
  /** A disk-only snapshot kept as an external layer (see disk-layers.ts): its file and the bytes it takes; absent for one inside the qcow2. */
  readonly layer?: { readonly file: string; readonly bytes: number };
}

function byName(snapshots: readonly SnapshotInfo[]): Set<string> {
  return new Set(snapshots.map((snapshot) => snapshot.name));
}

/** The snapshots of a VM, oldest first, from its nodes and the targets of its snapshots. */
export function vmSnapshots(nodes: readonly NamedBlockNode[], targets: SnapshotTargets): VmSnapshot[] {
  const holder = nodes.find((node) => node.node === targets.vmstate);
  if (holder === undefined) return [];
  const others = targets.devices.filter((name) => name !== targets.vmstate).map((name) => byName(nodes.find((node) => node.node === name)?.snapshots ?? []));
  return holder.snapshots
    .map((snapshot) => ({
      name: snapshot.name,
      date: snapshot.date,
      vmStateBytes: snapshot.vmStateBytes,
      kind: snapshot.vmStateBytes > 0 ? ('memory' as const) : ('disk-only' as const),
      vmClockSeconds: snapshot.vmClockSeconds,
      complete: others.every((names) => names.has(snapshot.name)),
    }))
    .sort((a, b) => a.date.localeCompare(b.date));
}
