/**
 * The `hosts:` section: where VMs run. `local` (this machine) always exists; every other host is
 * reached over SSH.
 */
import type { DiagnosticCollector } from './diagnostic';
import { hostAddressProblem, userNameProblem } from '../infrastructure/hosts/host-address';
import { MapReader } from './fields';
import type { HostQemuSetting } from '../infrastructure/hosts/probes/qemu-binary';
import type { HostSpec } from './model';
import { buildEntries, type NamedEntry } from './section';
import { HOST_DEFAULTS, HOST_KEYS, HOST_KINDS, LIMITS, LOCAL_HOST } from './vocabulary';
import { quote } from './wording';

/** Keys that mean something only for an SSH host. */
const SSH_ONLY_KEYS = ['address', 'user', 'port', 'identity'] as const;

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
  const qemu = readQemuSetting(reader, owner, diagnostics);
  const withQemu = qemu === undefined ? {} : { qemu };
  if (name === LOCAL_HOST && kind?.value === 'ssh') {
    diagnostics.error('reserved-name', kind.span, `host "${LOCAL_HOST}" is always this machine; give the SSH host another name`);
    return { name, kind: 'local', ...withQemu, span };
  }
  if ((kind?.value ?? (name === LOCAL_HOST ? 'local' : HOST_DEFAULTS.kind)) === 'local') {
    for (const key of SSH_ONLY_KEYS) {
      const keySpan = reader.keySpan(key);
      if (keySpan !== undefined) {
        diagnostics.warning('ignored-key', keySpan, `${owner}: ${key} is ignored for a local host; write "kind: ssh" to reach it over SSH`);
      }
    }
    return { name, kind: 'local', ...withQemu, span };
  }
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

/** A version `qemu-lab qemu install` takes: `11.1`, `11.1.3`. */
const QEMU_VERSION_SETTING = /^\d{1,3}\.\d{1,3}(\.\d{1,3})?$/;

/** `qemu:` — an installed version, or the absolute path of a qemu-system-x86_64 on that host (passed to no shell, but never an option). */
function readQemuSetting(reader: MapReader, owner: string, diagnostics: DiagnosticCollector): HostQemuSetting | undefined {
  const qemu = reader.string('qemu', 'a QEMU version qemu-lab installed (e.g. "11.1") or the absolute path of a qemu-system-x86_64');
  if (qemu === undefined) return undefined;
  const value = qemu.value.trim();
  if (QEMU_VERSION_SETTING.test(value)) return { kind: 'version', version: value };
  if (value.startsWith('/') && [...value].every((c) => c >= ' ' && c !== '\x7f') && !value.split('/').includes('..')) return { kind: 'path', path: value };
  diagnostics.error(
    'invalid-qemu',
    qemu.span,
    `${owner}: qemu ${quote(qemu.value)} is neither a QEMU version (e.g. "11.1", installed with qemu-lab qemu install) nor an absolute path to a qemu-system-x86_64`,
  );
  return undefined;
}
