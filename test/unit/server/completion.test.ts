import { describe, expect, it } from 'vitest';
import type { CompletionItem, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { HostCapabilities } from '../../../extension/core/infrastructure/hosts/probes/capabilities';
import { EXPERIMENT_KEYS } from '../../../extension/core/lab/vocabulary';
import { completionsAt } from '../../../extension/server/completion-provider';
import { analysisAt, fakeHost, hostsMap } from './helpers';

function complete(marked: string, hosts: ReadonlyMap<string, HostCapabilities> = new Map()): CompletionItem[] {
  const { analysis, position } = analysisAt(marked);
  return completionsAt(analysis, position, hosts);
}

function labels(marked: string, hosts?: ReadonlyMap<string, HostCapabilities>): string[] {
  return complete(marked, hosts).map((item) => item.label);
}

/** The text after accepting the completion labelled `label`. */
function accept(marked: string, label: string): string {
  const { analysis } = analysisAt(marked);
  const item = complete(marked).find((i) => i.label === label);
  if (item?.textEdit === undefined) throw new Error(`no completion ${label}`);
  return TextDocument.applyEdits(analysis.document, [item.textEdit as TextEdit]);
}

describe('completion of keys', () => {
  it('top level: the sections not yet written', () => {
    expect(labels('‸')).toEqual(['hosts', 'networks', 'vms', 'experiments', 'migrations']);
    expect(labels('vms:\n  vm1: {}\n‸')).toEqual(['hosts', 'networks', 'experiments', 'migrations']);
    expect(accept('vms:\n  vm1: {}\nexp‸', 'experiments')).toBe('vms:\n  vm1: {}\nexperiments:\n  ');
  });

  it('a line of spaces under a VM: the VM keys not yet written', () => {
    const found = labels('vms:\n  vm1:\n    memory: 1G\n    ‸\n    cpus: 2\n');
    expect(found).not.toContain('memory');
    expect(found).not.toContain('cpus');
    expect(found).toEqual(['host', 'image', 'disk', 'cdrom', 'boot', 'cloudInit', 'user', 'identity', 'accel', 'machine', 'nic', 'network', 'address', 'gateway', 'sshPort', 'vnc', 'extraArgs', 'faultTolerance', 'domain']);
  });

  it('under a VM with domain: only the keys an adopted domain takes', () => {
    expect(labels('vms:\n  vm1:\n    domain: web\n    ‸\n')).toEqual(['host', 'address', 'sshPort', 'user', 'identity']);
  });

  it('writes "key: " and opens the value suggestions; only the key when a colon follows', () => {
    expect(accept('vms:\n  vm1:\n    ni‸\n', 'nic')).toBe('vms:\n  vm1:\n    nic: \n');
    expect(complete('vms:\n  vm1:\n    ni‸\n').find((i) => i.label === 'nic')?.command?.command).toBe('editor.action.triggerSuggest');
    expect(accept('vms:\n  vm1:\n    ni‸: virtio\n', 'nic')).toBe('vms:\n  vm1:\n    nic: virtio\n');
  });

  it('keys of hosts, networks, experiments, migrations and a matrix, with their schema descriptions', () => {
    expect(labels('hosts:\n  b:\n    kind: ssh\n    ‸')).toEqual(['address', 'user', 'port', 'identity', 'qemu', 'uri']);
    expect(labels('networks:\n  lan:\n    ‸')).toEqual(['kind', 'bridge', 'address']);
    expect(labels('experiments:\n  e:\n    vm: vm1\n    ‸')).toEqual(EXPERIMENT_KEYS.filter((key) => key !== 'vm'));
    expect(labels('migrations:\n  m: { vm: vm1, ‸ }')).toEqual(['to', 'maxBandwidth', 'downtimeLimit', 'capabilities', 'during', 'duringSeconds', 'sameHost', 'storage']);
    expect(labels('experiments:\n  e:\n    matrix:\n      ‸')).toEqual(['accel', 'nic']);
    const memory = complete('vms:\n  vm1:\n    ‸').find((i) => i.label === 'memory');
    expect(memory?.detail).toBe('default: 1G');
    expect(JSON.stringify(memory?.documentation)).toContain('Guest memory');
  });

  it('nothing where a new name goes, or in a comment', () => {
    expect(labels('vms:\n  ‸')).toEqual([]);
    expect(labels('vms:\n  vm1: # a co‸mment\n')).toEqual([]);
  });
});

describe('completion of values', () => {
  it('after "    nic: " with nothing after it: NIC models, the host\'s too', () => {
    expect(labels('vms:\n  vm1:\n    nic: ‸')).toEqual(['virtio', 'e1000']);
    const withHost = labels('vms:\n  vm1:\n    nic: ‸', hostsMap(fakeHost()));
    expect(withHost.slice(0, 2)).toEqual(['virtio', 'e1000']);
    expect(withHost).toContain('rtl8139');
    expect(withHost).toContain('e1000e');
    // Only PCI models: an ISA or USB NIC does not plug into the lab's machines.
    expect(withHost).not.toContain('ne2k_isa');
    expect(withHost).not.toContain('usb-net');
    const virtio = complete('vms:\n  vm1:\n    nic: ‸', hostsMap(fakeHost())).find((i) => i.label === 'virtio');
    expect(virtio?.detail).toBe('-device virtio-net-pci');
  });

  it('enumerations: accel (with what QEMU gets), machine, host kind', () => {
    expect(labels('vms:\n  vm1: { accel: ‸ }')).toEqual(['kvm', 'tcg', 'auto']);
    const kvm = complete('vms:\n  vm1:\n    accel: ‸', hostsMap(fakeHost())).find((i) => i.label === 'kvm');
    expect(kvm?.detail).toMatch(/^-accel kvm -cpu host — KVM is not usable on host "local"/);
    expect(complete('vms:\n  vm1:\n    accel: ‸').find((i) => i.label === 'tcg')?.detail).toBe('-accel tcg -cpu max');
    expect(labels('vms:\n  vm1:\n    machine: ‸')).toEqual(['q35', 'pc']);
    expect(complete('vms:\n  vm1:\n    machine: ‸', hostsMap(fakeHost())).find((i) => i.label === 'q35')?.detail).toMatch(/pc-q35-7\.2/);
    expect(labels('hosts:\n  b:\n    kind: ‸')).toEqual(['local', 'ssh', 'libvirt']);
  });

  it('names where a reference goes', () => {
    const text = 'hosts:\n  lab-b: { kind: ssh, address: b }\nnetworks:\n  lan: { bridge: br0 }\nvms:\n  vm1:\n    host: ‸\n  vm2: {}\n';
    expect(labels(text)).toEqual(['local', 'lab-b']);
    expect(labels(text.replace('host: ‸', 'network: ‸'))).toEqual(['user', 'lan']);
    expect(labels('vms:\n  vm1: {}\n  vm2: {}\nexperiments:\n  e: { vm: ‸ }')).toEqual(['vm1', 'vm2']);
  });

  it('a migration goes to any host but its VM\'s own', () => {
    const text = 'hosts:\n  a: { kind: ssh, address: a }\n  b: { kind: ssh, address: b }\nvms:\n  vm1: { host: a }\nmigrations:\n  m:\n    vm: vm1\n    to: ‸\n';
    expect(labels(text)).toEqual(['local', 'b']);
  });

  it('list items: those not yet listed, in flow and block lists', () => {
    expect(labels('migrations:\n  m:\n    capabilities: [multifd, ‸]')).toEqual(['auto-converge', 'xbzrle', 'postcopy']);
    expect(labels('experiments:\n  e:\n    targets:\n      - guest\n      - ‸')).toEqual(['host']);
    expect(labels('experiments:\n  e: { matrix: { accel: [kvm, ‸] } }')).toEqual(['tcg', 'auto']);
    expect(labels('experiments:\n  e:\n    benchmarks: [sysbench-cpu, ‸')).toEqual(['sysbench-memory', 'iperf3', 'iperf']);
  });

  it('a line of spaces under a list key writes "- item"; a list key\'s value writes "[item]"', () => {
    expect(accept('migrations:\n  m:\n    capabilities:\n      ‸', 'multifd')).toBe('migrations:\n  m:\n    capabilities:\n      - multifd');
    expect(accept('experiments:\n  e:\n    targets: ‸', 'host')).toBe('experiments:\n  e:\n    targets: [host]');
  });

  it('right after the colon, a value brings its own space', () => {
    expect(accept('vms:\n  vm1:\n    nic:‸', 'e1000')).toBe('vms:\n  vm1:\n    nic: e1000');
  });

  it('replaces the word being typed', () => {
    expect(accept('vms:\n  vm1:\n    nic: vi‸', 'e1000')).toBe('vms:\n  vm1:\n    nic: e1000');
    expect(accept('vms:\n  vm1: { accel: k‸ }', 'tcg')).toBe('vms:\n  vm1: { accel: tcg }');
  });

  it('sizes, those that fit in the host when it is probed', () => {
    expect(labels('vms:\n  vm1:\n    memory: ‸')).toEqual(['512M', '1G', '2G', '4G', '8G', '16G']);
    expect(labels('vms:\n  vm1:\n    memory: ‸', hostsMap(fakeHost()))).toEqual(['512M', '1G', '2G', '4G', '8G']);
    expect(complete('vms:\n  vm1:\n    memory: ‸').find((i) => i.label === '2G')?.detail).toBe('-m 2048M');
  });

  it('the VM\'s host decides which probe is used', () => {
    const text = 'hosts:\n  b: { kind: ssh, address: b }\nvms:\n  vm1:\n    host: b\n    nic: ‸\n';
    expect(labels(text, hostsMap(fakeHost()))).toEqual(['virtio', 'e1000']);
  });

  it('nothing for free text, nothing for garbage', () => {
    expect(labels('vms:\n  vm1:\n    address: ‸')).toEqual([]);
    expect(labels('vms:\n  vm1:\n    nosuchkey: ‸')).toEqual([]);
    expect(labels('\u0000\u0001‸')).toEqual(['hosts', 'networks', 'vms', 'experiments', 'migrations']);
  });

  it('every edit stays on the cursor\'s line and contains the cursor', () => {
    for (const marked of ['vms:\n  vm1:\n    nic: virtio   ‸', 'vms:\n  vm1: {\n    nic: ‸', 'migrations:\n  m: { capabilities: [\n    multi‸\n  ] }']) {
      const { position } = analysisAt(marked);
      for (const item of complete(marked)) {
        const edit = item.textEdit as TextEdit;
        expect(edit.range.start.line).toBe(position.line);
        expect(edit.range.end.line).toBe(position.line);
        expect(edit.range.start.character).toBeLessThanOrEqual(position.character);
        expect(edit.range.end.character).toBeGreaterThanOrEqual(position.character);
      }
    }
  });
});
