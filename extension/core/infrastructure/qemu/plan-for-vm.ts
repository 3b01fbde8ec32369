/**
 * The one place a VM of a lab file becomes a launch plan. The boot (direct backend), a
 * migration's destination, both sides of a COLO pair and the language server's hover preview all
 * come through here, so they cannot disagree about what a VM's keys mean to QEMU.
 */
import { extname } from 'node:path';
import type { VmSpec } from '../../lab/model';
import type { BootMedia, DiskFormat, NetworkAttachment, QemuLaunchPlan, RunFiles } from './launch-plan';

/** Parts another feature adds to a VM's plan (a COLO pair's disks and network filters), typed. */
export type AddedPlanParts = Pick<QemuLaunchPlan, 'netFilters' | 'disks'>;

/**
 * What was decided for one boot of a VM, outside the lab file: the accelerator in effect, what
 * the guest boots from, the network attachment with its chosen ports or TAP, the run files.
 * The hover preview passes placeholders for what only a boot knows.
 */
export interface PlanHostFacts {
  /** The accelerator in effect (`auto` already resolved). */
  readonly accel: 'kvm' | 'tcg';
  readonly boot: BootMedia;
  readonly network: NetworkAttachment;
  readonly files: RunFiles;
  /** `-incoming` for a migration destination or a COLO secondary. */
  readonly incoming?: string;
  readonly added?: AddedPlanParts;
  /** The VM's state disk (a qcow2 file in its run directory) that holds snapshots' memory; none when absent. */
  readonly stateDisk?: string;
}

/** The format of a disk image, from its file name: `.qcow2` is qcow2, anything else raw. */
export function diskFormatOf(path: string): DiskFormat {
  return extname(path) === '.qcow2' ? 'qcow2' : 'raw';
}

/** Booting from a disk image, in the format its name says. */
export function diskBootMedia(image: string): BootMedia {
  return { kind: 'disk', image, format: diskFormatOf(image) };
}

/** The launch plan of `vm` for one boot. Pure; the user's `extraArgs` come out last, untouched. */
export function planForVm(vm: VmSpec, facts: PlanHostFacts): QemuLaunchPlan {
  const added = facts.added ?? {};
  return {
    name: vm.name,
    machine: vm.machine,
    accel: facts.accel,
    cpus: vm.cpus,
    memoryBytes: vm.memoryBytes,
    nic: vm.nic,
    network: facts.network,
    boot: facts.boot,
    files: facts.files,
    incoming: facts.incoming,
    ...(added.netFilters === undefined ? {} : { netFilters: added.netFilters }),
    ...(added.disks === undefined || added.disks.length === 0 ? {} : { disks: added.disks }),
    ...(facts.stateDisk === undefined ? {} : { stateDisk: facts.stateDisk }),
    // `vnc: true` gave the run files a VNC socket: the guest gets a screen to show there.
    ...(facts.files.vncSocket === undefined ? {} : { display: { device: 'VGA', vncSocket: facts.files.vncSocket } }),
    extraArgs: vm.extraArgs,
  };
}
