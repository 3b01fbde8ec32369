/**
 * The choices of "QEMU Lab: Migrate VM…", as plain data: the destinations a VM can go to, the
 * capabilities with what each costs, and the checks of the optional limits. No `vscode` here,
 * so it is unit-tested; migrate-vm.ts turns it into quick-picks.
 */
import type { HostSpec, LabModel, MigrationCapability, MigrationStorage } from '../../core/lab/model';
import { parseBandwidth, parseDuration } from '../../core/lab/sizes';
import type { DuringSpec } from '../../core/migration/during/spec';

/** A destination offered in the quick-pick. */
export interface DestinationChoice {
  readonly host: string;
  readonly label: string;
  readonly description: string;
  /** A second QEMU on the host the VM runs on, over loopback: a test, not a move. */
  readonly sameHost: boolean;
}

function describeHost(spec: HostSpec | undefined): string {
  if (spec === undefined || spec.kind === 'local') return 'this machine';
  if (spec.kind === 'libvirt') return `libvirt ${spec.uri}`;
  return `ssh ${spec.user === undefined ? '' : `${spec.user}@`}${spec.address}${spec.port === undefined ? '' : `:${spec.port}`}`;
}

/**
 * The lab's hosts other than the one the VM runs on, then that host itself as a same-host
 * migration (a second QEMU over loopback — what the tests do; useful without a second machine).
 * Only hosts of the VM's kind: a VM on a libvirt host goes to another libvirt host (through
 * libvirt, never to the same one), any other VM to a host where QEMU Lab runs QEMU itself.
 */
export function destinationChoices(lab: LabModel, currentHost: string): DestinationChoice[] {
  const isLibvirt = (name: string): boolean => lab.hosts.get(name)?.kind === 'libvirt';
  const libvirtVm = isLibvirt(currentHost);
  const names = [...new Set(['local', ...lab.hosts.keys()])];
  const others = names
    .filter((name) => name !== currentHost && isLibvirt(name) === libvirtVm)
    .map((name): DestinationChoice => ({ host: name, label: name, description: describeHost(lab.hosts.get(name)), sameHost: false }));
  if (libvirtVm) return others;
  return [
    ...others,
    {
      host: currentHost,
      label: `${currentHost} (same host)`,
      description: 'a second QEMU on the same host, over loopback: measures the migration, does not move the VM anywhere',
      sameHost: true,
    },
  ];
}

/** A capability offered in the multi-select quick-pick. */
export interface CapabilityChoice {
  readonly capability: MigrationCapability;
  readonly label: string;
  /** What it does and what it costs, in one line. */
  readonly description: string;
  readonly detail: string;
}

/** The capabilities with their trade-offs (the same as the non-convergence fixes say). */
export const CAPABILITY_CHOICES: readonly CapabilityChoice[] = [
  {
    capability: 'auto-converge',
    label: 'auto-converge',
    description: 'throttles the guest vCPUs until it dirties memory slower than the link sends',
    detail: 'Ends migrations of busy guests; the guest runs slower meanwhile (up to 99% throttled) and the migration takes longer.',
  },
  {
    capability: 'xbzrle',
    label: 'xbzrle',
    description: 'sends only the changed bytes of pages sent before (delta compression)',
    detail: 'Helps when the guest rewrites a small set of pages over and over; costs CPU on both hosts and a cache (64 MiB) that must hold those pages.',
  },
  {
    capability: 'postcopy',
    label: 'postcopy',
    description: 'moves the guest early and fetches the missing pages on demand (switched after the first pass)',
    detail: 'Always ends; page faults wait for the network after the switch, and a failure after it loses the guest (neither host has all of it).',
  },
  {
    capability: 'multifd',
    label: 'multifd',
    description: 'sends memory over several connections in parallel (2 by default)',
    detail: 'Uses fast links better; more CPU and connections on both hosts; little gain on a slow or single-core link.',
  },
];

/** A check of an input box: undefined when fine, else the message to show. */
export type InputCheck = (text: string) => string | undefined;

/** The max-bandwidth box: empty keeps QEMU's default (128 MiB/s in QEMU 7.2). */
export const checkBandwidth: InputCheck = (text) => {
  if (text.trim() === '') return undefined;
  const parsed = parseBandwidth(text.trim());
  return parsed.ok ? (parsed.value > 0 ? undefined : 'The bandwidth must be above 0.') : parsed.message;
};

/** The downtime-limit box: empty keeps QEMU's default (300 ms); a bare number is milliseconds. */
export const checkDowntime: InputCheck = (text) => {
  if (text.trim() === '') return undefined;
  const parsed = parseDuration(/^\d+$/.test(text.trim()) ? `${text.trim()}ms` : text.trim());
  return parsed.ok ? undefined : parsed.message;
};

/** The value of a filled-in box (undefined when left empty); call after the check passed. */
export function bandwidthValue(text: string): number | undefined {
  const parsed = parseBandwidth(text.trim());
  return text.trim() === '' || !parsed.ok ? undefined : parsed.value;
}

/** The downtime limit in milliseconds (undefined when left empty); call after the check passed. */
export function downtimeValue(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const parsed = parseDuration(/^\d+$/.test(text.trim()) ? `${text.trim()}ms` : text.trim());
  return parsed.ok ? parsed.value : undefined;
}

/** A `--during` benchmark offered in the editor. */
export interface DuringChoice {
  readonly spec: DuringSpec;
  readonly label: string;
  readonly description: string;
}

/** The benchmarks the editor offers around a migration (the CLI's `--during` takes any). */
export const DURING_CHOICES: readonly DuringChoice[] = [
  { spec: { benchmark: 'sysbench-cpu', target: 'host' }, label: 'sysbench-cpu@host', description: 'CPU on the source host: what the migration threads take from it' },
  { spec: { benchmark: 'sysbench-cpu', target: 'guest' }, label: 'sysbench-cpu@guest', description: 'CPU in the guest: throttling, the stop at the switch-over' },
  { spec: { benchmark: 'sysbench-memory', target: 'guest' }, label: 'sysbench-memory@guest', description: 'memory in the guest: it dirties pages, so the migration sends more (may not converge)' },
  { spec: { benchmark: 'iperf3', target: 'guest' }, label: 'iperf3@guest', description: 'network to the guest: with user networking it breaks at the switch-over and restarts' },
  { spec: { benchmark: 'iperf', target: 'guest' }, label: 'iperf@guest', description: 'the same with iperf 2 (what the course report used)' },
  { spec: { benchmark: 'sysbench-cpu', target: 'dest' }, label: 'sysbench-cpu@dest', description: 'CPU on the destination host' },
];

/** How long the editor's benchmarks run: a 20 s baseline, the migration 3 s in, 5 s after it. */
export const EDITOR_DURING_PLAN = { seconds: 20, leadSeconds: 3, tailSeconds: 5 } as const;

/** A `migrations:` entry of the lab file, offered before the questions. */
export interface LabMigrationChoice {
  /** The entry's name. */
  readonly name: string;
  readonly label: string;
  /** Where to, and how. */
  readonly description: string;
  /** The benchmarks around it, when it has any. */
  readonly detail: string | undefined;
}

const MIB = 1024 * 1024;

/**
 * The lab file's migrations of `vmName`, as "Migrate VM…" offers them first: each runs as the
 * lab file says, as `qemu-lab run --only migration:NAME` would, without a question.
 */
export function labMigrationChoices(lab: LabModel, vmName: string): LabMigrationChoice[] {
  return [...lab.migrations.values()]
    .filter((spec) => spec.vm === vmName)
    .map((spec) => {
      const how = [
        `to ${spec.to}${spec.sameHost ? ' (same host)' : ''}`,
        spec.capabilities.length > 0 ? spec.capabilities.join(', ') : 'plain pre-copy',
        ...(spec.maxBandwidthBytesPerSecond === undefined ? [] : [`≤ ${Math.round(spec.maxBandwidthBytesPerSecond / MIB)} MiB/s`]),
        ...(spec.downtimeLimitMs === undefined ? [] : [`downtime ≤ ${spec.downtimeLimitMs} ms`]),
      ];
      return {
        name: spec.name,
        label: spec.name,
        description: how.join(' · '),
        detail: spec.during.length === 0 ? undefined : `with ${spec.during.join(', ')}: a ${spec.duringSeconds} s baseline, then again while it migrates`,
      };
    });
}

/** One way a disk guest's disk reaches another host, with what it costs. */
export interface StorageChoice {
  readonly storage: MigrationStorage;
  readonly label: string;
  readonly description: string;
  readonly detail: string;
}

/** The two ways, the default first (see the README, "A disk guest to another host"). */
export const STORAGE_CHOICES: readonly StorageChoice[] = [
  {
    storage: 'copy',
    label: 'Copy the disk with the migration',
    description: 'default; works whatever the hosts share',
    detail: 'Mirrors the VM\'s overlay (all of the disk when the base image is not on the destination) over NBD before memory moves; takes as long as the copy.',
  },
  {
    storage: 'shared',
    label: 'Shared storage',
    description: 'both hosts see the VM\'s disk at the same path (NFS, say)',
    detail: 'Nothing is copied: the destination opens the same file. Refused when the destination cannot see it.',
  },
];
