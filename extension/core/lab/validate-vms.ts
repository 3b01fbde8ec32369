/**
 * The `vms:` section: virtual machines, every key optional with a default.
 */
import { checkCidr, checkIpAddress, type AddressResult } from './addresses';
import type { DiagnosticCollector } from './diagnostic';
import { MapReader, type Located } from './fields';
import type { HostSpec, MachineType, NetworkSpec, VmSpec } from './model';
import { isAdoptingEntry, readAdoptedVm } from './validate-adopted';
import { reportMissingAddress } from './validate-vm-networks';
import type { References } from './references';
import { readDiskGuestKeys } from './validate-disk-guest';
import { readFaultTolerance } from './validate-fault-tolerance';
import { checkNic } from './nic';
import type { NamedEntry } from './section';
import { parseSize } from './sizes';
import { ACCELS, BUILTIN_IMAGE, LIMITS, MACHINES, USER_NETWORK, VERSIONED_MACHINE_PATTERN, VM_DEFAULTS, VM_KEYS } from './vocabulary';
import { quote } from './wording';

/** Memory written without a unit and below this is surely a unit left off (`memory: 512` is 512 bytes). */
const SUSPICIOUS_MEMORY_BYTES = 1024 * 1024;
const defaultMemory = parseSize(VM_DEFAULTS.memory);
const DEFAULT_MEMORY_BYTES = defaultMemory.ok ? defaultMemory.value : 1024 ** 3;

/** Builds the VMs of a lab file (a VM always builds: bad values fall back to defaults, reported). */
export function readVms(
  entries: readonly NamedEntry[],
  references: References,
  diagnostics: DiagnosticCollector,
  networks: ReadonlyMap<string, NetworkSpec> = new Map(),
  hosts: ReadonlyMap<string, HostSpec> = new Map(),
): Map<string, VmSpec> {
  const vms = new Map<string, VmSpec>();
  const sshPorts = new Map<string, Map<number, string>>();
  for (const entry of entries) {
    // `domain:` adopts a libvirt domain: its own keys, and none that would describe the domain.
    if (isAdoptingEntry(entry)) {
      vms.set(entry.name, readAdoptedVm(entry, references, hosts, diagnostics));
      continue;
    }
    const { vm, sshPort } = readVm(entry, references, diagnostics);
    const network = networks.get(vm.network);
    if (network !== undefined && vm.image === BUILTIN_IMAGE && !entry.body.entries.some((e) => e.key === 'address')) {
      reportMissingAddress(vm.name, network, vms.size, entry.span, diagnostics);
    }
    vms.set(vm.name, vm);
    if (sshPort !== undefined) checkSshPortUnique(vm, sshPort, sshPorts, diagnostics);
  }
  return vms;
}

/** Checks that no two VMs on one host forward SSH from the same fixed port. */
function checkSshPortUnique(
  vm: VmSpec,
  sshPort: Located<number>,
  seen: Map<string, Map<number, string>>,
  diagnostics: DiagnosticCollector,
): void {
  const onHost = seen.get(vm.host) ?? new Map<number, string>();
  seen.set(vm.host, onHost);
  const other = onHost.get(sshPort.value);
  if (other === undefined) {
    onHost.set(sshPort.value, vm.name);
    return;
  }
  diagnostics.warning(
    'duplicate-ssh-port',
    sshPort.span,
    `VM ${quote(vm.name)}: sshPort ${sshPort.value} is also the sshPort of VM ${quote(other)} on host ${quote(vm.host)}; the two cannot run at once`,
  );
}

function readVm(
  { name, span, body }: NamedEntry,
  references: References,
  diagnostics: DiagnosticCollector,
): { vm: VmSpec; sshPort: Located<number> | undefined } {
  const owner = `VM ${quote(name)}`;
  const reader = new MapReader(body, owner, VM_KEYS, diagnostics);

  const host = reader.string('host', 'a host name');
  if (host !== undefined) references.host(owner, host);
  const image = reader.string('image', `"builtin", "blank" or the path of a disk image`);
  const cpus = reader.integer('cpus', LIMITS.cpus);
  const memory = readMemory(reader);
  const accel = reader.oneOf('accel', ACCELS, 'accelerator');
  const machineText = reader.string('machine', `${MACHINES.join(' or ')}, or a versioned type such as pc-i440fx-7.2`);
  const machine =
    machineText === undefined ? undefined : VERSIONED_MACHINE_PATTERN.test(machineText.value) ? (machineText as Located<MachineType>) : reader.oneOf('machine', MACHINES, 'machine type');
  const nicText = reader.string('nic', 'a NIC model, like virtio or e1000');
  const nic = nicText !== undefined && checkNic(reader, 'nic', nicText) ? nicText.value : undefined;
  const network = reader.string('network', `"${USER_NETWORK}" or the name of a network`);
  const networkKnown = network !== undefined && references.network(owner, network);
  // An undefined network is reported once; checks that depend on the network kind are skipped.
  const bridged = networkKnown && network.value !== USER_NETWORK;
  const onUserNetwork = network === undefined || network.value === USER_NETWORK;

  const address = reader.string('address', 'an address with prefix, like 10.10.0.11/24');
  if (address !== undefined) checkAddress(reader, 'address', address, checkCidr(address.value), onUserNetwork);
  const gateway = reader.string('gateway', 'an IP address, like 10.10.0.1');
  if (gateway !== undefined) checkAddress(reader, 'gateway', gateway, checkIpAddress(gateway.value), onUserNetwork);
  const sshPort = reader.integer('sshPort', LIMITS.sshPort);
  if (sshPort !== undefined && bridged) {
    diagnostics.warning(
      'ignored-key',
      reader.keySpan('sshPort') ?? sshPort.span,
      `${owner}: sshPort is ignored on a bridge network; SSH goes straight to the VM's address`,
    );
  }
  const vnc = reader.boolean('vnc');
  const extraArgs = reader.stringList('extraArgs', { allowEmpty: true, allowRepeats: true });
  const diskGuest = readDiskGuestKeys(reader, image, span);
  const faultTolerance = readFaultTolerance(reader, references, { machine: machine?.value ?? VM_DEFAULTS.machine, network: networkKnown ? network.value : VM_DEFAULTS.network, image: diskGuest.image });

  const vm: VmSpec = {
    name,
    host: host?.value ?? VM_DEFAULTS.host,
    cpus: cpus?.value ?? VM_DEFAULTS.cpus,
    memoryBytes: memory ?? DEFAULT_MEMORY_BYTES,
    accel: accel?.value ?? VM_DEFAULTS.accel,
    machine: machine?.value ?? VM_DEFAULTS.machine,
    nic: nic ?? VM_DEFAULTS.nic,
    network: networkKnown ? network.value : VM_DEFAULTS.network,
    address: bridged ? address?.value : undefined,
    gateway: bridged ? gateway?.value : undefined,
    sshPort: bridged ? undefined : sshPort?.value,
    vnc: vnc?.value ?? VM_DEFAULTS.vnc,
    extraArgs: extraArgs?.value ?? [...VM_DEFAULTS.extraArgs],
    ...diskGuest,
    ...(faultTolerance === undefined ? {} : { faultTolerance }),
    span,
  };
  return { vm, sshPort: vm.sshPort === undefined ? undefined : sshPort };
}

function readMemory(reader: MapReader): number | undefined {
  const memory = reader.quantity('memory', parseSize, 'bad-size');
  if (memory === undefined) return undefined;
  if (memory.value === 0) {
    reader.diagnostics.error('out-of-range', memory.span, `${reader.owner}: memory cannot be 0; use 1G or 1024M`);
    return undefined;
  }
  const raw = reader.node('memory');
  const unitless = raw?.kind === 'scalar' && (typeof raw.value === 'number' || /^[0-9]+$/.test(String(raw.value)));
  if (unitless && memory.value < SUSPICIOUS_MEMORY_BYTES) {
    const suggestion = `${memory.value}M`;
    reader.diagnostics.warning(
      'suspicious-value',
      memory.span,
      `${reader.owner}: memory is ${memory.value} bytes; a size without a unit is bytes (did you mean ${suggestion}?)`,
      suggestion,
    );
  }
  return memory.value;
}

function checkAddress(
  reader: MapReader,
  key: 'address' | 'gateway',
  value: Located<string>,
  check: AddressResult,
  onUserNetwork: boolean,
): void {
  if (!check.ok) {
    reader.diagnostics.error('bad-address', value.span, `${reader.owner}: ${key} ${check.message}`, check.suggestion);
    return;
  }
  if (onUserNetwork) {
    reader.diagnostics.error(
      'address-without-bridge',
      reader.keySpan(key) ?? value.span,
      `${reader.owner}: ${key} only applies on a bridge network, and this VM is on "${USER_NETWORK}"; set "network:" to a bridge network or remove ${key}`,
    );
  }
}
