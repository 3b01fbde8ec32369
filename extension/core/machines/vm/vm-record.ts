import { RecordFields } from '../../infrastructure/files/record-fields';
import { parseFiniteJson } from '../../infrastructure/support/finite-json';
import type { RunFiles } from '../../infrastructure/qemu/launch-plan';
import { DOMAIN_NAME_PATTERN } from '../../lab/vocabulary';

/** How to reach a guest's SSH server from its host. */
export interface GuestSshEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly privateKey: string;
  readonly knownHostsFile: string;
  readonly hostKeyAlias: string;
  /** `first-use`: the host key is learnt at the first login (see GuestSshLogin); absent: known beforehand. */
  readonly hostKeyCheck?: 'first-use';
  /** The network namespace on the host that reaches the guest (isolated networks); absent = the host's own. */
  readonly netns?: string;
}

/**
 * Where a VM lives: its host, and a slot when a second QEMU of the same VM must run on the same
 * host (the destination of a same-host migration gets its own run directory).
 */
export interface VmLocation {
  readonly host: string;
  /** Absent for the VM's usual directory on that host. */
  readonly slot?: string;
}

/** Set on the record a VM left behind when it migrated: where it runs now, and since when. */
export interface VmMove extends VmLocation {
  /** ISO 8601 time the migration completed. */
  readonly at: string;
}

/**
 * What QEMU Lab remembers of a VM it started, in `vm.json` in the VM's run directory. This is
 * how a restarted editor or CLI finds its VMs again (with the pidfile and the QMP socket) and
 * never starts a duplicate.
 */
export interface VmRecord {
  readonly version: 1;
  readonly labPath: string;
  readonly vmName: string;
  readonly host: string;
  /** The run-directory slot on that host, when not the usual one (see {@link VmLocation}). */
  readonly slot?: string;
  readonly qemuBinary: string;
  readonly argv: readonly string[];
  readonly accel: 'kvm' | 'tcg';
  /** Why that accelerator, in words (e.g. "accel: auto picked TCG: /dev/kvm is backed by PVM…"). */
  readonly accelWhy: string;
  readonly nic: string;
  readonly network: string;
  readonly ssh: GuestSshEndpoint | undefined;
  /** The isolated network's namespace QEMU runs in (its TAP is there); absent = the host's own. */
  readonly netns?: string;
  /** The guest's address on its bridge network (no prefix), where the host reaches its ports. */
  readonly guestAddress?: string;
  /** Guest TCP port → loopback port of the host that reaches it (user networking). */
  readonly forwardedPorts?: Readonly<Record<string, number>>;
  readonly files: RunFiles & { readonly stderrLog: string };
  /** Serial-console line that says the guest is ready, when the guest prints one. */
  readonly readyMarker: string | undefined;
  readonly startedAt: string;
  /**
   * The VM migrated away from here: this QEMU is gone (or about to be) and the VM runs where
   * this says. `find` follows it, so the lab's VM key keeps finding the VM wherever it went.
   */
  readonly movedTo?: VmMove;
  /**
   * The user's own libvirt domain this VM adopted (`domain:` in the lab file): QEMU Lab starts and
   * stops it under this name, and never defines, undefines or sends monitor commands to it.
   * Absent: a domain (or QEMU) QEMU Lab made from the lab file.
   */
  readonly domain?: string;
}

/** The location of a record: its host and slot. */
export function locationOf(record: VmRecord): VmLocation {
  return record.slot === undefined ? { host: record.host } : { host: record.host, slot: record.slot };
}

/** Where a record was read from, to check it against. */
export interface RecordPlace {
  /** For messages: the record's path (with its host when remote). */
  readonly where: string;
  /** The run directory the record is in: every file it names must be directly inside it. */
  readonly runDir: string;
}

/**
 * Reads a record's text. Undefined when there is none, it is not JSON or not version 1 (treated
 * as "not started by us"). A version-1 record is held to the schema QEMU Lab writes: names,
 * user and host syntax, integer ports, files inside `place.runDir`; and it is rebuilt from the
 * checked fields only, so nothing else it holds reaches any code.
 *
 * @throws StateTrustError when a version-1 record breaks the schema.
 */
export function parseVmRecord(text: string | undefined, place: RecordPlace): VmRecord | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = parseFiniteJson(text);
  } catch {
    return undefined;
  }
  const fields = RecordFields.of(parsed, place.where);
  if (fields === undefined || (parsed as { version?: unknown }).version !== 1) return undefined;
  return checkVmRecord(fields, place.runDir);
}

function checkVmRecord(r: RecordFields, runDir: string): VmRecord {
  const f = r.object('files');
  const files = {
    qmpSocket: f.pathIn('qmpSocket', runDir),
    watchSocket: f.pathIn('watchSocket', runDir),
    serialSocket: f.pathIn('serialSocket', runDir),
    serialLog: f.pathIn('serialLog', runDir),
    pidFile: f.pathIn('pidFile', runDir),
    vncSocket: f.has('vncSocket') ? f.pathIn('vncSocket', runDir) : undefined,
    stderrLog: f.pathIn('stderrLog', runDir),
  };
  let ssh: GuestSshEndpoint | undefined;
  if (r.has('ssh')) {
    const e = r.object('ssh');
    ssh = {
      host: e.host('host'),
      port: e.port('port'),
      user: e.user('user'),
      privateKey: e.absolutePath('privateKey'),
      knownHostsFile: e.absolutePath('knownHostsFile'),
      hostKeyAlias: e.host('hostKeyAlias'),
      ...(e.has('hostKeyCheck') ? { hostKeyCheck: firstUse(e) } : {}),
      ...(e.has('netns') ? { netns: e.name('netns') } : {}),
    };
  }
  let forwardedPorts: Record<string, number> | undefined;
  if (r.has('forwardedPorts')) {
    const ports = r.object('forwardedPorts');
    forwardedPorts = {};
    for (const guestPort of ports.keys()) {
      if (!/^[0-9]{1,5}$/.test(guestPort)) ports.fail(guestPort, 'is not a guest port number');
      forwardedPorts[guestPort] = ports.port(guestPort);
    }
  }
  let movedTo: VmMove | undefined;
  if (r.has('movedTo')) {
    const m = r.object('movedTo');
    movedTo = { host: m.name('host'), ...(m.has('slot') ? { slot: m.name('slot') } : {}), at: m.string('at') };
  }
  return {
    version: 1,
    labPath: r.absolutePath('labPath'),
    vmName: r.name('vmName'),
    host: r.name('host'),
    ...(r.has('slot') ? { slot: r.name('slot') } : {}),
    qemuBinary: r.string('qemuBinary'),
    argv: r.stringList('argv'),
    accel: r.oneOf('accel', ['kvm', 'tcg'] as const),
    accelWhy: r.string('accelWhy'),
    nic: r.string('nic'),
    network: r.name('network'),
    ssh,
    ...(r.has('netns') ? { netns: r.name('netns') } : {}),
    ...(r.has('guestAddress') ? { guestAddress: r.ipAddress('guestAddress') } : {}),
    ...(forwardedPorts === undefined ? {} : { forwardedPorts }),
    files,
    readyMarker: r.optionalString('readyMarker'),
    startedAt: r.string('startedAt'),
    ...(movedTo === undefined ? {} : { movedTo }),
    ...(r.has('domain') ? { domain: domainField(r) } : {}),
  };
}

/** An adopted domain's name, held to the names the lab file accepts. */
function domainField(fields: RecordFields): string {
  const value = fields.string('domain');
  if (!DOMAIN_NAME_PATTERN.test(value)) fields.fail('domain', `${JSON.stringify(value)} is not a libvirt domain name QEMU Lab adopts`);
  return value;
}

/** The only host-key check a record may ask for besides the strict default. */
function firstUse(fields: RecordFields): 'first-use' {
  const value = fields.string('hostKeyCheck');
  if (value !== 'first-use') fields.fail('hostKeyCheck', `${JSON.stringify(value)} is not a host-key check (only "first-use")`);
  return value;
}
