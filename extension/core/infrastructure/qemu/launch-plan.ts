import type { BootDevice, MachineType, NicModel } from '../../lab/model';

/** The block node name of a VM's state disk (see {@link QemuLaunchPlan.stateDisk}). */
export const STATE_NODE = 'qemu-lab-state';

/**
 * QEMU's MAC for the first NIC that names none (52:54:00:12:34:56): the NIC on user networking,
 * which the argv leaves without `mac=`. A disk guest's cloud-init network-config matches it (so a
 * NIC model change, e1000 ↔ virtio, keeps the configuration), and a libvirt domain writes it out,
 * since libvirt would otherwise pick a random one.
 */
export const QEMU_DEFAULT_MAC = '52:54:00:12:34:56';

/** The format of a disk image file, as QEMU's `format=` and `driver=` name it. */
export type DiskFormat = 'qcow2' | 'raw';

/** What the guest boots: a kernel and initramfs (the built-in lab guest), or a disk image. */
export type BootMedia =
  | { readonly kind: 'kernel'; readonly kernel: string; readonly initrd: string; readonly append: string }
  | {
      readonly kind: 'disk';
      readonly image: string;
      readonly format: DiskFormat;
      /** A cloud-init NoCloud seed (an ISO labelled `cidata`), shown read-only beside the disk. */
      readonly seed?: string;
      /** An ISO shown read-only as a CD-ROM (to install from), and which of the two boots. */
      readonly cdrom?: PlanCdrom;
    };

/** The drive ids of a disk guest with a CD-ROM: QMP's `query-block` names the drives by them. */
export const DISK_DRIVE_ID = 'qemu-lab-disk';
export const CDROM_DRIVE_ID = 'qemu-lab-cdrom';

/**
 * A CD-ROM drive on the machine's own IDE bus (`ide.0`: the AHCI controller built into q35, the
 * PIIX IDE built into pc), so both machine types take it without an extra controller.
 * `boot: 'cdrom'` lists the ISO first and the disk after it (an installer that ejects its disc
 * at the end reboots into the installed system); `boot: 'disk'` lists only the disk and tells the
 * firmware to try nothing else, so the ISO never boots.
 */
export interface PlanCdrom {
  readonly iso: string;
  readonly boot: BootDevice;
}

/** The child of a quorum: an image file, or a block node defined before it. */
export type QuorumChild = { readonly kind: 'file'; readonly file: string; readonly format: DiskFormat } | { readonly kind: 'node'; readonly node: string };

/** One block node on the command line (`-drive if=none,…`), each referring only to nodes before it. */
export type DriveNode =
  /** An image file. */
  | { readonly kind: 'image'; readonly id: string; readonly file: string; readonly format: 'qcow2' }
  /** A quorum over one child (COLO's disk: replication joins it as a second child at run time). */
  | { readonly kind: 'quorum'; readonly id: string; readonly child: QuorumChild }
  /**
   * COLO's secondary replication: writes go to `active`, which is backed by `hidden`, which is
   * backed by the node `backing`; `topId` is the quorum above it.
   */
  | { readonly kind: 'replication-secondary'; readonly id: string; readonly topId: string; readonly active: string; readonly hidden: string; readonly backing: string };

/** A disk the guest sees besides its boot media: block nodes, the one named `attach` on virtio-blk. */
export interface PlanDisk {
  readonly nodes: readonly DriveNode[];
  readonly attach: string;
}

/** A chardev that connects to a TCP socket and reconnects until something listens there. */
export interface ReconnectingSocket {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  /** Before QEMU 10 only whole seconds (`reconnect`); from 10 on milliseconds (`reconnect-ms`). */
  readonly reconnect: { readonly unit: 's' | 'ms'; readonly value: number };
}

/** A network filter object on one of the guest's netdevs. */
export type NetFilter =
  | ({ readonly kind: 'filter-redirector'; readonly id: string; readonly netdev: string; readonly queue: 'tx' | 'rx' } & (
      | { readonly indev: string; readonly outdev?: undefined }
      | { readonly outdev: string; readonly indev?: undefined }
    ))
  | { readonly kind: 'filter-rewriter'; readonly id: string; readonly netdev: string; readonly queue: 'all' };

/** Chardevs and the network filters that use them (a COLO secondary's), in that order. */
export interface NetFilterParts {
  readonly chardevs: readonly ReconnectingSocket[];
  readonly filters: readonly NetFilter[];
}

/** A TCP port of the guest reachable on 127.0.0.1:hostPort of its host. */
export interface PortForward {
  readonly hostPort: number;
  readonly guestPort: number;
}

/** How the guest's NIC reaches the world. */
export type NetworkAttachment =
  /**
   * QEMU's user-mode network; the guest's SSH port, and any other guest ports (the benchmark
   * servers'), forwarded from loopback ports of the host.
   */
  | { readonly kind: 'user'; readonly sshHostPort: number; readonly forwards: readonly PortForward[] }
  /** A TAP device (already created and enslaved to a bridge by whoever set the network up). */
  | { readonly kind: 'tap'; readonly tapName: string; readonly mac: string };

/** Host-local files of a running VM. All live in one directory of mode 0700. */
export interface RunFiles {
  /** QMP for commands: short connections, one at a time (the CLI, the editor's commands). */
  readonly qmpSocket: string;
  /**
   * A second QMP monitor for a long-lived watcher (the editor's state view). A QMP socket serves
   * one client at a time, so a watcher on the command socket would lock every CLI call out.
   */
  readonly watchSocket: string;
  readonly serialSocket: string;
  readonly serialLog: string;
  readonly pidFile: string;
  /** Present only when the VM opted into a display. */
  readonly vncSocket: string | undefined;
}

/**
 * The guest's screen: a display adapter, served by QEMU's VNC server on a UNIX socket of the run
 * directory (never a TCP port). Std VGA because it has a text mode: the built-in guest's kernel
 * draws its console there with its own VGA text console, no framebuffer driver to load, and under
 * TCG a text screen costs almost nothing to emulate.
 */
export interface PlanDisplay {
  readonly device: 'VGA';
  readonly vncSocket: string;
}

/**
 * Everything needed to turn a VM into QEMU arguments, already resolved: the accelerator is the
 * one in effect (never `auto`), ports and paths are chosen. Building argv from it is pure.
 */
export interface QemuLaunchPlan {
  readonly name: string;
  readonly machine: MachineType;
  readonly accel: 'kvm' | 'tcg';
  readonly cpus: number;
  readonly memoryBytes: number;
  readonly nic: NicModel;
  readonly network: NetworkAttachment;
  readonly boot: BootMedia;
  readonly files: RunFiles;
  /** `-incoming` for a migration destination (`defer` waits for `migrate-incoming`). */
  readonly incoming: string | undefined;
  /** Chardevs and network filters QEMU Lab adds (a COLO secondary's); none when absent. */
  readonly netFilters?: NetFilterParts;
  /** Disks besides the boot media (a COLO pair's quorum); none when absent. */
  readonly disks?: readonly PlanDisk[];
  /**
   * A qcow2 file no device shows to the guest, as block node {@link STATE_NODE}: whole-VM
   * snapshots keep the guest's memory there (the built-in guest has no disk to hold it).
   */
  readonly stateDisk?: string;
  /** The guest's screen, for a VM that opted into one (`vnc: true`); none when absent. */
  readonly display?: PlanDisplay;
  /** The user's own arguments (the lab file's `extraArgs`), always last and only theirs. */
  readonly extraArgs: readonly string[];
}
