/**
 * Pure readers of virsh's output (libvirt 9.0's wording, fixtures in test/fixtures/libvirt/virsh/
 * captured from the real virsh). Output is input: a line that does not fit is skipped or reported,
 * never trusted into a command.
 */
import type { VmState } from '../../machines/vm/vm-state';

/** A domain's state as libvirt names it (`virsh domstate`, `domstats` `state.state`). */
export type DomainState = 'no state' | 'running' | 'blocked' | 'paused' | 'in shutdown' | 'shut off' | 'crashed' | 'pmsuspended';

/** libvirt's `virDomainState` numbers, as `domstats` prints them, in order. */
const STATE_NUMBERS: readonly DomainState[] = ['no state', 'running', 'blocked', 'paused', 'in shutdown', 'shut off', 'crashed', 'pmsuspended'];

/** `virsh domstate --reason`: `running (unpaused)`, `shut off (destroyed)`. */
export function parseDomstate(text: string): { readonly state: DomainState; readonly reason: string | undefined } | undefined {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  const match = /^([a-z ]+?)(?: \(([^)]*)\))?$/.exec(line);
  const state = STATE_NUMBERS.find((s) => s === match?.[1]);
  if (match === null || state === undefined) return undefined;
  return { state, reason: match[2] };
}

/** A libvirt state as QEMU Lab shows a VM's. */
export function vmStateOf(state: DomainState): VmState {
  switch (state) {
    case 'running':
    case 'blocked':
      return 'running';
    case 'paused':
    case 'pmsuspended':
      return 'paused';
    case 'in shutdown':
      return 'powering-down';
    case 'shut off':
      return 'stopped';
    case 'crashed':
    case 'no state':
      return 'error';
  }
}

/** Whether a QEMU process runs for a domain in this state. */
export function domainHasQemu(state: DomainState): boolean {
  return state !== 'shut off' && state !== 'crashed';
}

/** `Key:   value` lines (`dominfo`, `domjobinfo`) as a map; a continuation line (no key) is skipped. */
export function parseKeyValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z][A-Za-z0-9 ()/._-]*?):\s+(.*?)\s*$/.exec(line);
    if (match !== null && !values.has(match[1] ?? '')) values.set(match[1] ?? '', match[2] ?? '');
  }
  return values;
}

/** What `virsh dominfo` says of a domain. */
export interface DomainInfo {
  readonly name: string;
  readonly uuid: string;
  readonly state: DomainState | undefined;
  readonly cpus: number | undefined;
  readonly maxMemoryKiB: number | undefined;
  readonly persistent: boolean;
}

function integer(value: string | undefined): number | undefined {
  const match = /^(\d{1,15})\b/.exec(value ?? '');
  return match === null ? undefined : Number(match[1]);
}

/** `virsh dominfo NAME`. Undefined when it names no domain. */
export function parseDominfo(text: string): DomainInfo | undefined {
  const values = parseKeyValues(text);
  const name = values.get('Name');
  if (name === undefined) return undefined;
  return {
    name,
    uuid: values.get('UUID') ?? '',
    state: STATE_NUMBERS.find((s) => s === values.get('State')),
    cpus: integer(values.get('CPU(s)')),
    maxMemoryKiB: integer(values.get('Max memory')),
    persistent: values.get('Persistent') === 'yes',
  };
}

/** One domain of `virsh domstats`: its name and its `key=value` statistics. */
export interface DomainStats {
  readonly name: string;
  readonly stats: ReadonlyMap<string, string>;
}

/** `virsh domstats [NAME…]`: a `Domain: 'NAME'` line, then indented `key=value` lines, per domain. */
export function parseDomstats(text: string): DomainStats[] {
  const domains: { name: string; stats: Map<string, string> }[] = [];
  for (const line of text.split('\n')) {
    const head = /^Domain: '(.*)'\s*$/.exec(line);
    if (head !== null) {
      domains.push({ name: head[1] ?? '', stats: new Map() });
      continue;
    }
    const pair = /^\s+([A-Za-z0-9_.-]+)=(.*)$/.exec(line);
    const current = domains[domains.length - 1];
    if (pair !== null && current !== undefined) current.stats.set(pair[1] ?? '', pair[2] ?? '');
  }
  return domains;
}

/** A domain as the tree shows an existing (not the lab's) one: from its `domstats`. */
export interface DomainSummary {
  readonly name: string;
  readonly state: DomainState | undefined;
  readonly vcpus: number | undefined;
  /** Current memory (balloon), KiB. */
  readonly memoryKiB: number | undefined;
  readonly nics: number;
  readonly disks: number;
}

/** The summary of one domain's statistics. */
export function summarizeDomstats(domain: DomainStats): DomainSummary {
  const { stats } = domain;
  const stateNumber = integer(stats.get('state.state'));
  return {
    name: domain.name,
    state: stateNumber === undefined ? undefined : STATE_NUMBERS[stateNumber],
    vcpus: integer(stats.get('vcpu.current')),
    memoryKiB: integer(stats.get('balloon.current')) ?? integer(stats.get('balloon.maximum')),
    nics: integer(stats.get('net.count')) ?? 0,
    disks: integer(stats.get('block.count')) ?? 0,
  };
}

/** A migration's or other job's progress, from `virsh domjobinfo`. */
export interface DomainJob {
  /** `None`, `Unbounded`, `Bounded`, `Completed`, `Failed`, `Cancelled`. */
  readonly type: string;
  readonly operation: string | undefined;
  readonly elapsedMs: number | undefined;
  readonly dataProcessedBytes: number | undefined;
  readonly dataRemainingBytes: number | undefined;
  readonly dataTotalBytes: number | undefined;
  readonly memoryBandwidthBytesPerSecond: number | undefined;
  readonly dirtyRatePagesPerSecond: number | undefined;
  readonly iteration: number | undefined;
  readonly downtimeMs: number | undefined;
  /** While active: QEMU's estimate of the downtime if it switched over now. */
  readonly expectedDowntimeMs: number | undefined;
  readonly setupTimeMs: number | undefined;
  /** Guest RAM: sent, still dirty, in all. */
  readonly memoryProcessedBytes: number | undefined;
  readonly memoryRemainingBytes: number | undefined;
  readonly memoryTotalBytes: number | undefined;
  readonly pageSize: number | undefined;
  readonly normalPages: number | undefined;
  /** Zero pages (sent as a flag). */
  readonly constantPages: number | undefined;
  readonly postcopyRequests: number | undefined;
  /** With auto-converge: how much QEMU slows the guest's vCPUs, percent. */
  readonly autoConvergeThrottlePercent: number | undefined;
  /** With xbzrle: its cache's statistics. */
  readonly compression:
    | { readonly cacheBytes: number | undefined; readonly compressedBytes: number | undefined; readonly pages: number | undefined; readonly cacheMisses: number | undefined; readonly overflows: number | undefined }
    | undefined;
}

const UNITS: Readonly<Record<string, number>> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };

/** `1.234 GiB`, `12.000 MiB/s`, `0 B`: bytes (per second). */
function bytes(value: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?) ([KMGT]iB|B)(?:\/s)?$/.exec(value ?? '');
  if (match === null) return undefined;
  return Math.round(Number(match[1]) * (UNITS[match[2] ?? 'B'] ?? 1));
}

/** `virsh domjobinfo NAME` (also with `--completed`). */
export function parseDomjobinfo(text: string): DomainJob {
  const v = parseKeyValues(text);
  return {
    type: v.get('Job type') ?? 'None',
    operation: v.get('Operation'),
    elapsedMs: integer(v.get('Time elapsed')),
    dataProcessedBytes: bytes(v.get('Data processed')),
    dataRemainingBytes: bytes(v.get('Data remaining')),
    dataTotalBytes: bytes(v.get('Data total')),
    memoryBandwidthBytesPerSecond: bytes(v.get('Memory bandwidth')),
    dirtyRatePagesPerSecond: integer(v.get('Dirty rate')),
    iteration: integer(v.get('Iteration')),
    downtimeMs: integer(v.get('Total downtime')),
    expectedDowntimeMs: integer(v.get('Expected downtime')),
    setupTimeMs: integer(v.get('Setup time')),
    memoryProcessedBytes: bytes(v.get('Memory processed')),
    memoryRemainingBytes: bytes(v.get('Memory remaining')),
    memoryTotalBytes: bytes(v.get('Memory total')),
    pageSize: integer(v.get('Page size')),
    normalPages: integer(v.get('Normal pages')),
    constantPages: integer(v.get('Constant pages')),
    postcopyRequests: integer(v.get('Postcopy requests')),
    autoConvergeThrottlePercent: integer(v.get('Auto converge throttle')),
    compression: v.has('Compression cache')
      ? {
          cacheBytes: bytes(v.get('Compression cache')),
          compressedBytes: bytes(v.get('Compressed data')),
          pages: integer(v.get('Compressed pages')),
          cacheMisses: integer(v.get('Compression cache misses')),
          overflows: integer(v.get('Compression overflows')),
        }
      : undefined,
  };
}

/** What a libvirt host offers, from `virsh capabilities`. */
export interface HostCapabilities {
  /** The host CPU's architecture. */
  readonly arch: string | undefined;
  /** Domain types for x86_64 guests (`qemu` = TCG, `kvm`). */
  readonly x86DomainTypes: readonly string[];
  /** The QEMU binary libvirt uses for x86_64 guests. */
  readonly x86Emulator: string | undefined;
  /** Machine types offered for x86_64 guests (canonical names and aliases). */
  readonly x86Machines: readonly string[];
}

/**
 * `virsh capabilities` (XML). Read with patterns over libvirt's own stable layout, not a general
 * XML parser: only attributes and text of the x86_64 `<guest>` and the host's `<arch>` are used.
 */
export function parseCapabilities(xml: string): HostCapabilities {
  const host = /<host>[\s\S]*?<cpu>[\s\S]*?<arch>([^<]*)<\/arch>/.exec(xml);
  const guests = xml.split('<guest>').slice(1).map((g) => g.slice(0, g.indexOf('</guest>')));
  const x86 = guests.find((g) => /<arch name='x86_64'>/.test(g)) ?? '';
  const types = [...x86.matchAll(/<domain type='([a-z0-9]+)'/g)].map((m) => m[1] ?? '');
  const machines = new Set<string>();
  for (const m of x86.matchAll(/<machine(?: [^>]*?)?>([^<]+)<\/machine>/g)) machines.add(m[1] ?? '');
  for (const m of x86.matchAll(/<machine [^>]*?canonical='([^']+)'/g)) machines.add(m[1] ?? '');
  return {
    arch: host?.[1]?.trim(),
    x86DomainTypes: [...new Set(types)],
    x86Emulator: /<emulator>([^<]*)<\/emulator>/.exec(x86)?.[1],
    x86Machines: [...machines],
  };
}
