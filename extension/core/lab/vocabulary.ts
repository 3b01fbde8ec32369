/**
 * The vocabulary of a lab file: the keys each mapping may hold, the values each enumerated key
 * may take, the defaults, and the limits. The validator reads these; a unit test checks that
 * `schemas/qemu-lab.schema.json` says the same, so the two cannot drift apart silently.
 */
import type { Accel, BenchmarkName, BenchmarkTarget, BootDevice, IperfDirection, MachineType, MigrationCapability } from './model';

/** The top-level sections of a lab file, in the order the docs present them. */
export const SECTION_KEYS = ['hosts', 'networks', 'vms', 'experiments', 'migrations'] as const;
/** A top-level section of a lab file. */
export type SectionKey = (typeof SECTION_KEYS)[number];

/** Keys of an entry under `hosts:`. */
export const HOST_KEYS = ['kind', 'address', 'user', 'port', 'identity', 'qemu', 'uri'] as const;
/** Keys of an entry under `networks:`. */
export const NETWORK_KEYS = ['kind', 'bridge', 'address'] as const;
/** Keys of an entry under `vms:`. */
export const VM_KEYS = [
  'host',
  'image',
  'disk',
  'cdrom',
  'boot',
  'cloudInit',
  'user',
  'identity',
  'cpus',
  'memory',
  'accel',
  'machine',
  'nic',
  'network',
  'address',
  'gateway',
  'sshPort',
  'vnc',
  'extraArgs',
  'faultTolerance',
  'domain',
] as const;
/**
 * The keys of a VM that adopts an existing libvirt domain (`domain:`): where it is and how to log
 * in. Every other VM key describes the domain, whose definition is libvirt's.
 */
export const ADOPTED_VM_KEYS = ['host', 'domain', 'address', 'sshPort', 'user', 'identity'] as const;
/** The user QEMU Lab logs into an adopted domain as when the lab file names none. */
export const DEFAULT_ADOPTED_USER = 'root';
/** The SSH port of an adopted domain's guest when the lab file names none. */
export const DEFAULT_ADOPTED_SSH_PORT = 22;
/**
 * Names of libvirt domains QEMU Lab accepts: what virsh takes as one argv item without surprises
 * (no leading `-`, no whitespace or slash, no control characters), at most 200 characters.
 */
export const DOMAIN_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._+:@-]{0,199}$/;
/** Keys of a VM's `faultTolerance:`. */
export const FAULT_TOLERANCE_KEYS = ['mode', 'secondary', 'checkpointDelay', 'disk'] as const;
/** Values of `faultTolerance.mode`. */
export const FAULT_TOLERANCE_MODES = ['colo'] as const;
/** Defaults of `faultTolerance:` (QEMU's own x-checkpoint-delay default is 20 s). */
export const FAULT_TOLERANCE_DEFAULTS = { mode: 'colo', checkpointDelay: '20s' } as const;
/** Keys of an entry under `experiments:`. */
export const EXPERIMENT_KEYS = ['vm', 'matrix', 'targets', 'benchmarks', 'direction', 'repetitions', 'duration', 'fromSnapshot'] as const;
/** Keys of an experiment's `matrix:`. */
export const MATRIX_KEYS = ['accel', 'nic'] as const;
/** Keys of an entry under `migrations:`. */
export const MIGRATION_KEYS = ['vm', 'to', 'maxBandwidth', 'downtimeLimit', 'capabilities', 'during', 'duringSeconds', 'sameHost', 'storage'] as const;
/**
 * Values of a migration's `storage`: how a disk guest's disk reaches another host — `copy` (copied
 * with the migration, the default: it works whatever the hosts share) or `shared` (both hosts see
 * the VM's disk file at the same path, e.g. an NFS mount, so nothing is copied).
 */
export const MIGRATION_STORAGES = ['copy', 'shared'] as const;

/** Values of a host's `kind`. */
export const HOST_KINDS = ['local', 'ssh', 'libvirt'] as const;
/** Values of a network's `kind`. */
export const NETWORK_KINDS = ['bridge', 'isolated'] as const;
/** Values of a VM's `accel`. */
export const ACCELS: readonly Accel[] = ['kvm', 'tcg', 'auto'];
/** Values of a VM's `machine`. */
export const MACHINES: readonly MachineType[] = ['q35', 'pc'];
/** A versioned machine type besides {@link MACHINES}: `pc-i440fx-7.2`, `pc-q35-11.1`. */
export const VERSIONED_MACHINE_PATTERN = /^pc-(i440fx|q35)-\d{1,2}\.\d{1,2}$/;
/** The NIC models the course compares; any other model name matching {@link NIC_PATTERN} is accepted too. */
export const KNOWN_NICS = ['virtio', 'e1000'] as const;
/** Values of a VM's `boot`: what the firmware boots when the VM has a `cdrom`. */
export const BOOT_DEVICES: readonly BootDevice[] = ['cdrom', 'disk'];
/** Values of an experiment's `targets`. */
export const TARGETS: readonly BenchmarkTarget[] = ['host', 'guest'];
/** Values of an experiment's `benchmarks`. */
export const BENCHMARKS: readonly BenchmarkName[] = ['sysbench-cpu', 'sysbench-memory', 'iperf3', 'iperf'];
/** Values of an experiment's `direction`. */
export const DIRECTIONS: readonly IperfDirection[] = ['to-guest', 'from-guest'];
/** Values of a migration's `capabilities`. */
export const CAPABILITIES: readonly MigrationCapability[] = ['auto-converge', 'xbzrle', 'postcopy', 'multifd'];

/** The host that always exists, even when the file does not mention it. */
export const LOCAL_HOST = 'local';
/** The `network:` value meaning QEMU's user-mode network; no bridge network may take this name. */
export const USER_NETWORK = 'user';
/** The `image:` value meaning the built-in lab guest. */
export const BUILTIN_IMAGE = 'builtin';
/**
 * The `image:` value meaning a blank disk to install on (from `cdrom:`): a new qcow2 of `disk:`
 * bytes in the VM's state. A VM with `disk:` and no `image:` gets it too.
 */
export const BLANK_IMAGE = 'blank';
/** The user cloud-init creates in a disk guest when the lab file names none. */
export const DEFAULT_CLOUD_INIT_USER = 'lab';
/** Login names QEMU Lab passes to ssh and cloud-init: a Linux user name. */
export const GUEST_USER_PATTERN = /^[a-z_][a-z0-9_-]{0,31}$/;

/**
 * Names of hosts, networks, VMs, experiments and migrations. They name run directories, TAP
 * devices, state records and report files, and appear in argv: so never `.`, `..`, a leading
 * `-` or `.`, a slash or whitespace.
 */
export const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
/** The longest name allowed. */
export const NAME_MAX_LENGTH = 64;
/** NIC model names (QEMU device model names). */
export const NIC_PATTERN = /^[A-Za-z0-9_-]+$/;
/** Linux interface names: at most 15 characters, no slash, no whitespace. */
export const BRIDGE_PATTERN = /^[A-Za-z0-9_.-]{1,15}$/;

/** Inclusive limits of integer keys. */
export const LIMITS = {
  cpus: { min: 1, max: 64 },
  sshPort: { min: 1024, max: 65535 },
  /** An adopted domain's guest SSH port (any port: it is the guest's, not one on the host). */
  adoptedSshPort: { min: 1, max: 65535 },
  hostPort: { min: 1, max: 65535 },
  repetitions: { min: 1, max: 1000 },
  /** QEMU's `downtime-limit` maximum, in milliseconds. */
  downtimeLimitMs: { min: 0, max: 2_000_000 },
  /** An experiment's run length, in milliseconds: 1 s to 10 min. */
  experimentDurationMs: { min: 1_000, max: 600_000 },
  /** COLO's x-checkpoint-delay, in milliseconds: 100 ms to 1 h. */
  checkpointDelayMs: { min: 100, max: 3_600_000 },
  /** A migration's `duringSeconds` (the baseline before it), as `migrate --during-seconds` takes it. */
  duringSeconds: { min: 3, max: 3600 },
} as const;

/** Defaults of a VM, as written in a lab file. */
export const VM_DEFAULTS = {
  host: LOCAL_HOST,
  image: BUILTIN_IMAGE,
  cpus: 1,
  memory: '1G',
  accel: 'auto',
  machine: 'q35',
  nic: 'virtio',
  network: USER_NETWORK,
  vnc: false,
  extraArgs: [] as readonly string[],
} as const;

/** Defaults of an experiment, as written in a lab file. */
export const EXPERIMENT_DEFAULTS = {
  targets: ['guest'] as readonly BenchmarkTarget[],
  benchmarks: ['sysbench-cpu', 'sysbench-memory', 'iperf3'] as readonly BenchmarkName[],
  direction: ['to-guest', 'from-guest'] as readonly IperfDirection[],
  repetitions: 5,
  duration: '10s',
} as const;

/** Defaults of a migration, as written in a lab file. */
export const MIGRATION_DEFAULTS = {
  capabilities: [] as readonly MigrationCapability[],
  /** The baseline run before a migration with `during:`, and the least the run around it lasts. */
  duringSeconds: 20,
  sameHost: false,
  storage: 'copy',
} as const;

/** Defaults of a host, as written in a lab file: `local` is local, every other host is reached over SSH. */
export const HOST_DEFAULTS = { kind: 'ssh' } as const;

/** Defaults of a network, as written in a lab file. */
export const NETWORK_DEFAULTS = { kind: 'bridge', isolatedAddress: '10.77.0.1/24' } as const;
