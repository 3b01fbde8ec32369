/**
 * The typed model of a lab file (`qemu-lab.yaml`, `*.qemu-lab.yaml`), after parsing and
 * validation with defaults filled in. Everything downstream (argument builder, CLI, tree,
 * language server) works on this model, never on raw YAML.
 */
import type { HostQemuSetting } from '../infrastructure/hosts/probes/qemu-binary';

/** A position in the lab file, 1-based line and column, as editors and `path:line:col` show them. */
export interface SourceSpan {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** Byte offsets into the text, for editors that want them. */
  readonly offset: number;
  readonly endOffset: number;
}

/** How QEMU runs code: hardware virtualization, the emulator, or the best the host can do. */
export type Accel = 'kvm' | 'tcg' | 'auto';
/** Machine types we build arguments for. */
export type MachineType = 'q35' | 'pc' | VersionedMachineType;

/**
 * A machine type of one QEMU release (`pc-i440fx-7.2`): the same virtual hardware on every QEMU
 * that has it, which a migration between two QEMU versions needs (`pc` is the newest of each).
 */
export type VersionedMachineType = `pc-i440fx-${number}.${number}` | `pc-q35-${number}.${number}`;

/** The machine QEMU runs on. `local` always exists, even when not written. */
export type HostSpec =
  | { readonly name: string; readonly kind: 'local'; readonly qemu?: HostQemuSetting; readonly span: SourceSpan | undefined }
  | {
      readonly name: string;
      readonly kind: 'ssh';
      readonly qemu?: HostQemuSetting;
      /** An address or an alias from ~/.ssh/config. */
      readonly address: string;
      readonly user: string | undefined;
      readonly port: number | undefined;
      readonly identity: string | undefined;
      readonly span: SourceSpan | undefined;
    }
  | {
      readonly name: string;
      /** A host whose VMs are libvirt domains (`virsh -c uri`), on this machine or reached over the lab's SSH. */
      readonly kind: 'libvirt';
      /** `qemu:///system`, `qemu+unix:///system?socket=…`, `qemu+ssh://[user@]host[:port]/system` or `test:///default`. */
      readonly uri: string;
      /** Never: libvirt runs the QEMU its own configuration names (the validator warns about a `qemu:` here). */
      readonly qemu?: never;
      readonly span: SourceSpan | undefined;
    };

/**
 * A network VMs can be attached to, other than QEMU's user-mode network. Each VM on one gets a
 * TAP device, created by its QEMU (so it goes away with QEMU) and put on the network's bridge.
 */
export type NetworkSpec =
  /** A Linux bridge the user made on the host (e.g. `br0` with the host's LAN on it). */
  | { readonly name: string; readonly kind: 'bridge'; readonly bridge: string; readonly span: SourceSpan | undefined }
  /**
   * A bridge in a network namespace the tool makes on the host and owns: nothing outside it sees
   * the guests, and the host side (benchmark clients, SSH to the guests) runs inside it.
   */
  | {
      readonly name: string;
      readonly kind: 'isolated';
      /** The host side's address on the bridge, with prefix, e.g. `10.77.0.1/24`; guests use it as gateway. */
      readonly address: string;
      readonly span: SourceSpan | undefined;
    };

/** What a VM with a CD-ROM boots from: the ISO (to install) or its disk (the installed system). */
export type BootDevice = 'cdrom' | 'disk';

/** A NIC model: the two the course compares, or any other model name the host's QEMU lists. */
export type NicModel = 'virtio' | 'e1000' | (string & { readonly __otherNic?: never });

/** A virtual machine. */
export interface VmSpec {
  readonly name: string;
  /** Name of a host in {@link LabModel.hosts}. Default `local`. */
  readonly host: string;
  /**
   * `builtin` = the built-in lab guest; `blank` = a blank disk of {@link diskBytes} to install on
   * (written `image: blank`, or `disk:` with no `image:`); otherwise a path to a disk image
   * (qcow2/raw), relative to the lab file's folder on this machine. A disk image is never
   * written: the VM runs on its own qcow2 overlay of it.
   */
  readonly image: 'builtin' | 'blank' | string;
  /**
   * Disk guests only: the size the VM's disk grows to, in bytes; undefined = the image's own
   * size. Always set for a blank disk (its size).
   */
  readonly diskBytes?: number;
  /**
   * Disk guests only: an ISO image shown to the guest read-only as a CD-ROM (to install from),
   * a path relative to the lab file's folder like `image`. Absent: no CD-ROM drive.
   */
  readonly cdrom?: string;
  /**
   * With a `cdrom`: what the firmware boots. Absent: decided at each boot — the CD-ROM while the
   * VM's disk is blank (never written), else the disk.
   */
  readonly boot?: BootDevice;
  /**
   * Disk images only: how QEMU Lab logs into the guest. Default: cloud-init (a NoCloud seed with
   * the lab's key); `user` + `identity` name a login of a guest without cloud-init.
   */
  readonly login?: GuestLoginSpec;
  /** Default 1. */
  readonly cpus: number;
  /** Bytes. Default 1 GiB. */
  readonly memoryBytes: number;
  /** Default `auto`. */
  readonly accel: Accel;
  /** Default `q35`. */
  readonly machine: MachineType;
  /** Default `virtio`. */
  readonly nic: NicModel;
  /** `user` (QEMU's SLIRP, SSH forwarded from a loopback port) or the name of a bridge network. Default `user`. */
  readonly network: 'user' | string;
  /** Guest address with prefix on a bridged network, e.g. `10.10.0.11/24`; unused with `user`. */
  readonly address: string | undefined;
  /** Gateway on a bridged network. */
  readonly gateway: string | undefined;
  /** Fixed host port for SSH on user networking; undefined = pick a free loopback port at boot. */
  readonly sshPort: number | undefined;
  /** Opt-in screen: a VGA card and QEMU's VNC server on a UNIX socket of the run directory (never a TCP port). Default false. */
  readonly vnc: boolean;
  /** Extra QEMU arguments appended verbatim as argv entries (never through a shell). */
  readonly extraArgs: readonly string[];
  /** A COLO primary/secondary pair (`qemu-lab colo up`); absent = a plain VM. */
  readonly faultTolerance?: FaultToleranceSpec;
  /**
   * An existing libvirt domain the lab adopts (`domain:` on a libvirt host): QEMU Lab starts and
   * stops it and logs in over SSH, never defines, undefines or reconfigures it. Absent = a VM
   * QEMU Lab describes itself. On an adopted VM the other keys keep their defaults and mean nothing:
   * the domain's definition is libvirt's.
   */
  readonly adopted?: AdoptedDomainSpec;
  readonly span: SourceSpan | undefined;
}

/** A domain the user made in libvirt, adopted by a lab VM. */
export interface AdoptedDomainSpec {
  /** The libvirt domain's name on the VM's host. */
  readonly domain: string;
  /** The guest's IP address where SSH reaches it from the host's machine; absent = no SSH (up only starts it). */
  readonly address: string | undefined;
  /** The guest's SSH port at `address`. Default 22. */
  readonly sshPort: number;
  /** The user QEMU Lab logs in as. Default `root`. */
  readonly user: string;
  /** The SSH private key that logs in (relative to the lab file's folder, `~/` is home); absent = no SSH login. */
  readonly identity: string | undefined;
}

/**
 * How QEMU Lab logs into a disk guest: `cloud-init` writes a NoCloud seed creating `user` with
 * the lab's generated key; `manual` uses an existing login (a guest installed from an ISO).
 */
export type GuestLoginSpec =
  | { readonly kind: 'cloud-init'; readonly user: string }
  | { readonly kind: 'manual'; readonly user: string; readonly identity: string };

/** COLO fault tolerance of a VM: where its secondary runs and how often it checkpoints. */
export interface FaultToleranceSpec {
  readonly mode: 'colo';
  /** The lab host the secondary QEMU runs on (may be the VM's own host, over loopback, for tests). */
  readonly secondary: string;
  /** QEMU's `x-checkpoint-delay`: the longest time between two checkpoints, in milliseconds. */
  readonly checkpointDelayMs: number;
  /** A disk image on the primary's host, replicated to the secondary (quorum + replication over NBD); absent = diskless. */
  readonly disk?: string;
}

/** Benchmarks an experiment can run. */
export type BenchmarkName = 'sysbench-cpu' | 'sysbench-memory' | 'iperf3' | 'iperf';
/** Where a benchmark runs: on the VM's host, or inside the guest. */
export type BenchmarkTarget = 'host' | 'guest';
/**
 * Which way a guest's network benchmark sends: the host sends to the guest, or the guest sends to
 * the host (the course report's set-up: the iperf client in the guest).
 */
export type IperfDirection = 'to-guest' | 'from-guest';

/** A matrix of runs over one VM: every combination of the matrix axes, on each target. */
export interface ExperimentSpec {
  readonly name: string;
  readonly vm: string;
  readonly matrix: {
    readonly accel: readonly Accel[] | undefined;
    readonly nic: readonly NicModel[] | undefined;
  };
  readonly targets: readonly BenchmarkTarget[];
  readonly benchmarks: readonly BenchmarkName[];
  /** Which ways iperf3 and iperf run in the guest. Default both. */
  readonly directions: readonly IperfDirection[];
  /** Default 5. */
  readonly repetitions: number;
  /** How long each timed run lasts (sysbench --time, iperf -t), in seconds. Default 10. */
  readonly durationSeconds: number;
  /**
   * `fromSnapshot`: the name of a whole-VM snapshot the experiment's VM takes once booted; every
   * warm-up and repetition loads it first, so each starts from the same guest state. Absent: no snapshot.
   */
  readonly fromSnapshot: string | undefined;
  readonly span: SourceSpan | undefined;
}

/** Migration capabilities a lab may ask for. */
export type MigrationCapability = 'auto-converge' | 'xbzrle' | 'postcopy' | 'multifd';
/** How a disk guest's disk reaches another host in a migration (see MigrationSpec.storage). */
export type MigrationStorage = 'copy' | 'shared';

/** A live migration of a VM to another host. */
export interface MigrationSpec {
  readonly name: string;
  readonly vm: string;
  /** Destination host name. */
  readonly to: string;
  /** Bytes per second, if limited. */
  readonly maxBandwidthBytesPerSecond: number | undefined;
  /** Milliseconds. */
  readonly downtimeLimitMs: number | undefined;
  readonly capabilities: readonly MigrationCapability[];
  /**
   * Benchmarks sampled per second around the migration, as `migrate --during` takes them
   * (`sysbench-cpu@guest`, `iperf3@guest`); empty = none.
   */
  readonly during: readonly string[];
  /** The baseline length before the migration, with `during`, in seconds. Default 20. */
  readonly duringSeconds: number;
  /**
   * `to` may be the VM's own host: a second QEMU on the same machine, migrated over loopback
   * (on a bridge it keeps the guest's place on the network). For one-machine labs. Default false.
   */
  readonly sameHost: boolean;
  /**
   * How a disk guest's disk reaches another host: `copy` (mirrored to a new overlay there, the
   * default) or `shared` (the destination opens the same file). No effect on the built-in guest.
   */
  readonly storage: MigrationStorage;
  readonly span: SourceSpan | undefined;
}

/** A whole lab file after validation. Maps keep the file's order. */
export interface LabModel {
  /** Absolute path of the lab file, or `<memory>` for text with no file. */
  readonly path: string;
  readonly hosts: ReadonlyMap<string, HostSpec>;
  readonly networks: ReadonlyMap<string, NetworkSpec>;
  readonly vms: ReadonlyMap<string, VmSpec>;
  readonly experiments: ReadonlyMap<string, ExperimentSpec>;
  readonly migrations: ReadonlyMap<string, MigrationSpec>;
}
