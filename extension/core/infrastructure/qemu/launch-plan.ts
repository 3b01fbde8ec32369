import type { MachineType, NicModel } from '../../lab/model';

/** What the guest boots: a kernel and initramfs (the built-in lab guest), or a disk image. */
export type BootMedia =
  | { readonly kind: 'kernel'; readonly kernel: string; readonly initrd: string; readonly append: string }
  | { readonly kind: 'disk'; readonly image: string; readonly format: 'qcow2' | 'raw' };

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
  readonly extraArgs: readonly string[];
}
