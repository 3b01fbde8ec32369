/**
 * A VM that adopts an existing libvirt domain (`domain: NAME` on a `kind: libvirt` host): the
 * keys that say where the domain is and how to log into its guest, and nothing that would
 * describe the domain — its definition is libvirt's (`virsh edit`), never the lab file's.
 */
import { checkIpAddress } from './addresses';
import { describingKeyProblem } from './adopted-refusals';
import type { DiagnosticCollector } from './diagnostic';
import { MapReader, type Located } from './fields';
import type { AdoptedDomainSpec, HostSpec, VmSpec } from './model';
import type { References } from './references';
import type { NamedEntry } from './section';
import { defaultVm } from './default-vm';
import {
  ADOPTED_VM_KEYS,
  DEFAULT_ADOPTED_SSH_PORT,
  DEFAULT_ADOPTED_USER,
  DOMAIN_NAME_PATTERN,
  GUEST_USER_PATTERN,
  LIMITS,
  VM_DEFAULTS,
  VM_KEYS,
} from './vocabulary';
import { quote } from './wording';


/** Whether a VM entry adopts a domain (it writes `domain:`). */
export function isAdoptingEntry(entry: NamedEntry): boolean {
  return entry.body.entries.some((e) => e.key === 'domain');
}

/**
 * Reads a VM entry that writes `domain:`. The VM always builds (with the lab's defaults for what
 * the domain's own definition decides); every problem is reported where it is written.
 */
export function readAdoptedVm(entry: NamedEntry, references: References, hosts: ReadonlyMap<string, HostSpec>, diagnostics: DiagnosticCollector): VmSpec {
  const { name, span, body } = entry;
  const owner = `VM ${quote(name)}`;
  // Every VM key is known here; the describing ones are refused below with what to do instead.
  const reader = new MapReader(body, owner, VM_KEYS, diagnostics);
  const domain = reader.string('domain', 'the name of a libvirt domain on the host');
  const domainName = domain !== undefined && checkDomainName(reader, domain) ? domain.value : undefined;
  for (const key of VM_KEYS) {
    if ((ADOPTED_VM_KEYS as readonly string[]).includes(key) || !reader.has(key)) continue;
    diagnostics.error('adopted-domain-key', reader.keySpan(key) ?? span, describingKeyProblem(name, domainName ?? 'NAME', key));
  }
  const host = readHost(reader, references, hosts, domain?.span ?? span);
  const adopted = readLogin(reader, domainName ?? '', span);
  return { ...defaultVm(name), host: host ?? VM_DEFAULTS.host, adopted, span };
}

function checkDomainName(reader: MapReader, domain: Located<string>): boolean {
  if (DOMAIN_NAME_PATTERN.test(domain.value)) return true;
  reader.diagnostics.error(
    'invalid-name',
    domain.span,
    `${reader.owner}: domain ${JSON.stringify(domain.value)} is not a libvirt domain name QEMU Lab adopts (letters, digits and . _ + : @ -, not starting with - or .); \`virsh list --all\` shows the names`,
  );
  return false;
}

/** The VM's host, which must be a libvirt host: only libvirt has domains to adopt. */
function readHost(reader: MapReader, references: References, hosts: ReadonlyMap<string, HostSpec>, domainSpan: NonNullable<VmSpec['span']>): string | undefined {
  const host = reader.string('host', 'a host name');
  if (host !== undefined && !references.host(reader.owner, host)) return host.value;
  const spec = hosts.get(host?.value ?? VM_DEFAULTS.host);
  if (spec !== undefined && spec.kind !== 'libvirt') {
    const where = host === undefined ? `runs on host ${quote(spec.name)} (no host: written)` : `is on host ${quote(spec.name)}`;
    reader.diagnostics.error(
      'adopted-domain-host',
      host?.span ?? domainSpan,
      `${reader.owner}: domain: adopts an existing libvirt domain, but the VM ${where}, which is kind ${spec.kind}; set host: to a kind: libvirt host, or remove domain:`,
    );
  }
  return host?.value;
}

/** Where SSH reaches the guest and as whom; a VM without `address` or `identity` starts, but ssh and benchmarks refuse. */
function readLogin(reader: MapReader, domain: string, entrySpan: NonNullable<VmSpec['span']>): AdoptedDomainSpec {
  const address = reader.string('address', "the guest's IP address, like 192.168.122.50");
  let addressValue: string | undefined;
  if (address !== undefined) {
    const check = checkIpAddress(address.value);
    if (check.ok) addressValue = address.value;
    else reader.diagnostics.error('bad-address', address.span, `${reader.owner}: address ${check.message}`, check.suggestion);
  }
  const sshPort = reader.integer('sshPort', LIMITS.adoptedSshPort);
  const user = reader.string('user', 'the user QEMU Lab logs into the guest as, like root');
  const userOk = user !== undefined && GUEST_USER_PATTERN.test(user.value);
  if (user !== undefined && !userOk) {
    reader.diagnostics.error('invalid-user', user.span, `${reader.owner}: user must be a Linux user name (lower-case letters, digits, _ and -), not ${JSON.stringify(user.value)}`);
  }
  const identity = reader.string('identity', 'the path of the SSH private key that logs into the guest');
  const missing = [address === undefined ? "address (the guest's IP, `virsh domifaddr` shows it)" : undefined, identity === undefined ? 'identity (the SSH private key that logs in)' : undefined].filter(
    (item) => item !== undefined,
  );
  if (missing.length > 0) {
    reader.diagnostics.warning(
      'missing-key',
      reader.keySpan('domain') ?? entrySpan,
      `${reader.owner}: without ${missing.join(' and ')} QEMU Lab starts and stops the domain but cannot log in: ssh and benchmarks refuse`,
    );
  }
  return {
    domain,
    address: addressValue,
    sshPort: sshPort?.value ?? DEFAULT_ADOPTED_SSH_PORT,
    user: userOk ? user.value : DEFAULT_ADOPTED_USER,
    identity: identity?.value,
  };
}
