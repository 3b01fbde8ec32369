/** How snapshots read, in the CLI and the editor's tree alike. */
import type { VmSnapshot } from '../../core/snapshots/snapshot-list';

/** `512 MiB` / `1.2 GiB` / `—` for a disk-only snapshot's memory. */
export function snapshotSizeText(bytes: number): string {
  if (bytes === 0) return '—';
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  return `${Math.max(1, Math.round(bytes / 1024 ** 2))} MiB`;
}

/** `2026-12-02 15:04:05 UTC`. */
export function snapshotTimeText(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** `with memory` / `disk-only` / `disk-only, external` (a layer file), and `incomplete` when some disk lacks it. */
export function snapshotKindText(snapshot: VmSnapshot): string {
  const kind = snapshot.kind === 'memory' ? 'with memory' : snapshot.layer === undefined ? 'disk-only' : 'disk-only, external';
  return snapshot.complete ? kind : `${kind}, incomplete`;
}

/** What a snapshot takes: its memory, or for an external one the layer file (`3 MiB layer`). */
function snapshotBytesText(snapshot: VmSnapshot): string {
  return snapshot.layer === undefined ? snapshotSizeText(snapshot.vmStateBytes) : `${snapshotSizeText(snapshot.layer.bytes)} layer`;
}

/** One line for a tree row's description: `2026-12-02 15:04:05 UTC · with memory · 98 MiB`. */
export function snapshotDescription(snapshot: VmSnapshot): string {
  return [snapshotTimeText(snapshot.date), snapshotKindText(snapshot), snapshotBytesText(snapshot)].join(' · ');
}

/** The table `qemu-lab snapshot list` prints, or a sentence when there are none. */
export function snapshotTable(vmName: string, snapshots: readonly VmSnapshot[]): string {
  if (snapshots.length === 0) return `${vmName} has no snapshots (qemu-lab snapshot save ${vmName} NAME takes one).\n`;
  const rows = [
    ['NAME', 'TAKEN', 'KIND', 'SIZE', 'VM CLOCK'],
    ...snapshots.map((s) => [s.name, snapshotTimeText(s.date), snapshotKindText(s), snapshotBytesText(s), s.layer === undefined ? `${s.vmClockSeconds.toFixed(1)} s` : '—']),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n') + '\n';
}
