/**
 * The rows under a disk guest's VM in the "Hosts and VMs" tree, before its snapshots, as plain
 * data: one per file of its disk chain (the file the guest writes first, down to the base image)
 * with its size and what it takes on the host, then its cloud-init state; a row saying why when
 * they could not be read. No `vscode` here, so it is unit-tested; vscode/tree makes tree items.
 */
import { basename } from 'node:path';
import type { CloudInitState } from '../../core/machines/disk-guest/cloud-init-state';
import type { DiskChainFile } from '../../core/machines/disk-guest/disk-chain';
import type { VmDisks } from '../../core/machines/disk-guest/vm-disks';
import type { VmNode } from './nodes';

/** A row under a disk guest: what the tree item shows, and an id unique under its VM. */
export interface DiskRowNode {
  readonly kind: 'disk-row';
  readonly vm: VmNode;
  /** Unique among the VM's disk rows (`disk#0`, `cloud-init`, …). */
  readonly id: string;
  readonly label: string;
  readonly description: string | undefined;
  readonly tooltip: string;
  /** `disk`: a file of the chain; `cloud`: cloud-init; `note`: none there yet; `problem`: could not be read. */
  readonly icon: 'disk' | 'cloud' | 'note' | 'problem';
}

/** What was read of a disk guest, each part on its own (one may fail while the other is read). */
export interface DiskGuestRead {
  readonly disks: VmDisks | { readonly error: string };
  readonly cloudInit: CloudInitState | { readonly error: string };
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** `10 GiB`, `4.3 MiB`, `512 B`: binary units, one decimal below 10 unless whole. */
export function sizeText(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value >= 10 || Number.isInteger(value) ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${UNITS[unit]}`;
}

function fileRow(vm: VmNode, file: DiskChainFile, index: number, count: number): DiskRowNode {
  const size = `${sizeText(file.virtualSize)} · ${file.actualSize === undefined ? 'allocation unknown' : `${sizeText(file.actualSize)} allocated`}`;
  const under = file.backingFile === undefined ? undefined : `on ${basename(file.backingFile)}`;
  const role = index === 0 ? 'the file the guest writes' : index === count - 1 ? 'the base image (never written)' : 'a layer under it (not written while another is on top)';
  const tooltip = [
    `${file.path} — ${role}`,
    `${file.format}, ${sizeText(file.virtualSize)} as the guest sees it, ${file.actualSize === undefined ? 'allocation unknown' : `${sizeText(file.actualSize)} on the host's disk`}`,
    file.backingFile === undefined ? 'no backing file' : `backing file: ${file.backingFile}`,
  ].join('\n');
  return { kind: 'disk-row', vm, id: `disk#${index}`, label: basename(file.path), description: [size, under].filter((p) => p !== undefined).join(' · '), tooltip, icon: 'disk' };
}

function diskRowsOf(vm: VmNode, disks: DiskGuestRead['disks']): DiskRowNode[] {
  if ('error' in disks) {
    return [{ kind: 'disk-row', vm, id: 'disk-note', label: 'Disk unreadable', description: disks.error, tooltip: disks.error, icon: 'problem' }];
  }
  if (disks.kind === 'none') {
    const tooltip = `${disks.disk} is made at the VM's first boot (Up): an overlay of its image, or its blank disk.`;
    return [{ kind: 'disk-row', vm, id: 'disk-note', label: 'No disk yet', description: 'made at the first boot', tooltip, icon: 'note' }];
  }
  return disks.files.map((file, index) => fileRow(vm, file, index, disks.files.length));
}

function cloudInitRow(vm: VmNode, state: DiskGuestRead['cloudInit']): DiskRowNode {
  const row = (label: string, description: string | undefined, tooltip: string, icon: DiskRowNode['icon'] = 'cloud'): DiskRowNode => ({
    kind: 'disk-row',
    vm,
    id: 'cloud-init',
    label,
    description,
    tooltip,
    icon,
  });
  if ('error' in state) return row('cloud-init: unknown', state.error, state.error, 'problem');
  switch (state.kind) {
    case 'disabled':
      return state.why === 'blank-disk'
        ? row('cloud-init: disabled', 'blank disk', 'A blank disk has no system to read a seed; user: and identity: name the login the install makes.')
        : row('cloud-init: disabled', 'cloudInit: false', 'No seed is attached; user: and identity: in the lab file name how QEMU Lab logs in.');
    case 'no-seed':
      return row('cloud-init: no seed yet', 'written at the first boot', `The NoCloud seed ${state.seed} is written and attached when the VM boots (Up).`);
    case 'seed-attached':
      return row(
        'cloud-init: seed attached',
        state.labKeyLogin ? 'logged in with the lab key' : basename(state.seed),
        `NoCloud seed: ${state.seed}${state.labKeyLogin ? "\nThe VM's SSH logs in with the lab's own key (the boot waited for it)." : ''}`,
      );
  }
}

/** The rows of a disk guest: its disk files, top first, then its cloud-init. */
export function diskRows(vm: VmNode, read: DiskGuestRead): DiskRowNode[] {
  return [...diskRowsOf(vm, read.disks), cloudInitRow(vm, read.cloudInit)];
}
