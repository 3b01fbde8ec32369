/**
 * The `hosts:` section: where VMs run. `local` (this machine) always exists; every other host is
 * reached over SSH, or is a libvirt host (`kind: libvirt`, `uri:`).
 */
import type { DiagnosticCollector } from './diagnostic';
import { hostAddressProblem, userNameProblem } from '../infrastructure/hosts/host-address';
import { readLibvirtUri } from '../infrastructure/libvirt/libvirt-uri';
import { MapReader } from './fields';
import { parseHostQemuSetting } from '../infrastructure/hosts/probes/qemu-setting';
import type { HostQemuSetting } from '../infrastructure/hosts/probes/qemu-binary';
import type { HostSpec } from './model';
import { buildEntries, type NamedEntry } from './section';
import { HOST_DEFAULTS, HOST_KEYS, HOST_KINDS, LIMITS, LOCAL_HOST } from './vocabulary';
import { quote } from './wording';

/** Keys that mean something only for an SSH host. */
const SSH_ONLY_KEYS = ['address', 'user', 'port', 'identity'] as const;
/** Keys that mean something only for a libvirt host. */
const LIBVIRT_ONLY_KEYS = ['uri'] as const;

/** Warns about keys written for another kind of host. */
function warnIgnored(reader: MapReader, keys: readonly string[], owner: string, why: string, diagnostics: DiagnosticCollector): void {
  for (const key of keys) {
    const keySpan = reader.keySpan(key);
    if (keySpan !== undefined) diagnostics.warning('ignored-key', keySpan, `${owner}: ${key} is ignored ${why}`);
  }
}

/** Builds the hosts of a lab file, `local` first unless the file defines it elsewhere. */
export function readHosts(entries: readonly NamedEntry[], diagnostics: DiagnosticCollector): Map<string, HostSpec> {
  const hosts = new Map<string, HostSpec>();
  if (!entries.some((entry) => entry.name === LOCAL_HOST)) {
    hosts.set(LOCAL_HOST, { name: LOCAL_HOST, kind: 'local', span: undefined });
  }
  for (const [name, host] of buildEntries(entries, (entry) => readHost(entry, diagnostics))) hosts.set(name, host);
  return hosts;
}

function readHost({ name, span, body }: NamedEntry, diagnostics: DiagnosticCollector): HostSpec | undefined {
  const owner = `host ${quote(name)}`;
  const reader = new MapReader(body, owner, HOST_KEYS, diagnostics);
  const kind = reader.oneOf('kind', HOST_KINDS, 'host kind');
  if (name === LOCAL_HOST && (kind?.value === 'ssh' || kind?.value === 'libvirt')) {
    const what = kind.value === 'ssh' ? 'SSH' : 'libvirt';
    diagnostics.error('reserved-name', kind.span, `host "${LOCAL_HOST}" is always this machine; give the ${what} host another name`);
    return { name, kind: 'local', span };
  }
  const effective = kind?.value ?? (name === LOCAL_HOST ? 'local' : HOST_DEFAULTS.kind);
  if (effective === 'libvirt') {
    warnIgnored(reader, ['qemu'], owner, 'for a libvirt host: libvirt runs the QEMU its own configuration names', diagnostics);
    return readLibvirtHost(name, span, reader, owner, diagnostics);
  }
  const qemu = readQemuSetting(reader, owner, diagnostics);
  const withQemu = qemu === undefined ? {} : { qemu };
  if (effective === 'local') {
    warnIgnored(reader, SSH_ONLY_KEYS, owner, 'for a local host; write "kind: ssh" to reach it over SSH', diagnostics);
    warnIgnored(reader, LIBVIRT_ONLY_KEYS, owner, 'for a local host; write "kind: libvirt" to run its VMs through libvirt', diagnostics);
    return { name, kind: 'local', ...withQemu, span };
  }
  warnIgnored(reader, LIBVIRT_ONLY_KEYS, owner, 'for an SSH host; write "kind: libvirt" to run its VMs through libvirt', diagnostics);
  const address = reader.requiredString(
    'address',
    'an IP address, a host name or an alias from ~/.ssh/config',
    'an SSH host needs an address: add "address: <IP, host name or ~/.ssh/config alias>"',
    span,
  );
  const user = reader.string('user', 'a user name');
  const port = reader.integer('port', LIMITS.hostPort);
  const identity = reader.string('identity', 'the path of a private key');
  if (address === undefined) return undefined;
  // The address and user reach ssh and known_hosts: one host, never an option or a pattern.
  const addressProblem = hostAddressProblem(address.value);
  if (addressProblem !== undefined) {
    diagnostics.error('bad-address', address.span, `${owner}: address ${quote(address.value)} is not a host name, an IP address or an ~/.ssh/config alias: ${addressProblem}`);
    return undefined;
  }
  const userProblem = user === undefined ? undefined : userNameProblem(user.value);
  if (user !== undefined && userProblem !== undefined) {
    diagnostics.error('invalid-user', user.span, `${owner}: user ${quote(user.value)} is not a user name: ${userProblem}`);
    return undefined;
  }
  return { name, kind: 'ssh', address: address.value, user: user?.value, port: port?.value, identity: identity?.value, ...withQemu, span };
}

/** `qemu:` — an installed version, or the absolute path of a qemu-system-x86_64 on that host (passed to no shell, but never an option). */
function readQemuSetting(reader: MapReader, owner: string, diagnostics: DiagnosticCollector): HostQemuSetting | undefined {
  const qemu = reader.string('qemu', 'a QEMU version qemu-lab installed (e.g. "11.1") or the absolute path of a qemu-system-x86_64');
  if (qemu === undefined) return undefined;
  const setting = parseHostQemuSetting(qemu.value);
  if (setting !== undefined) return setting;
  diagnostics.error(
    'invalid-qemu',
    qemu.span,
    `${owner}: qemu ${quote(qemu.value)} is neither a QEMU version (e.g. "11.1", installed with qemu-lab qemu install) nor an absolute path to a qemu-system-x86_64`,
  );
  return undefined;
}

function readLibvirtHost(name: string, span: NamedEntry['span'], reader: MapReader, owner: string, diagnostics: DiagnosticCollector): HostSpec | undefined {
  warnIgnored(reader, SSH_ONLY_KEYS, owner, 'for a libvirt host; the URI says where it is (qemu+ssh://user@host:port/system)', diagnostics);
  const uri = reader.requiredString(
    'uri',
    'a libvirt URI',
    'a libvirt host needs a URI: add "uri: qemu:///system" (this machine) or "uri: qemu+ssh://user@host/system"',
    span,
  );
  if (uri === undefined) return undefined;
  const reading = readLibvirtUri(uri.value);
  if (!reading.ok) {
    diagnostics.error('bad-uri', uri.span, `${owner}: uri ${quote(uri.value)} is not a libvirt URI QEMU Lab accepts: ${reading.problem}`);
    return undefined;
  }
  return { name, kind: 'libvirt', uri: uri.value, span };
}
