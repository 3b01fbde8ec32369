import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../extension/core/lab/diagnostic';
import { exampleLabText } from '../../../extension/core/lab/example';
import type { LabModel, VmSpec } from '../../../extension/core/lab/model';
import { parseLabText } from '../../../extension/core/lab/parse';

const root = join(__dirname, '../../..');
const G = 1024 ** 3;

function parseFile(relative: string): ReturnType<typeof parseLabText> {
  return parseLabText(readFileSync(join(root, relative), 'utf8'), relative);
}

/** The VM a lab file gets from `name: {}`. */
function defaultVm(name: string): Omit<VmSpec, 'span'> {
  return {
    name,
    host: 'local',
    image: 'builtin',
    cpus: 1,
    memoryBytes: G,
    accel: 'auto',
    machine: 'q35',
    nic: 'virtio',
    network: 'user',
    address: undefined,
    gateway: undefined,
    sshPort: undefined,
    vnc: false,
    extraArgs: [],
  };
}

function withoutSpan<T extends { span: unknown }>(value: T | undefined): Omit<T, 'span'> | undefined {
  if (value === undefined) return undefined;
  const { span: _span, ...rest } = value;
  return rest;
}

function lab(result: ReturnType<typeof parseLabText>): LabModel {
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  expect(result.lab).toBeDefined();
  return result.lab as LabModel;
}

describe('valid lab files', () => {
  it('examples/hello.qemu-lab.yaml: one default VM on the local host', () => {
    const model = lab(parseFile('examples/hello.qemu-lab.yaml'));
    expect(model.path).toBe('examples/hello.qemu-lab.yaml');
    expect([...model.hosts.values()]).toEqual([{ name: 'local', kind: 'local', span: undefined }]);
    expect([...model.vms.keys()]).toEqual(['vm1']);
    expect(withoutSpan(model.vms.get('vm1'))).toEqual(defaultVm('vm1'));
    expect(model.vms.get('vm1')?.span).toMatchObject({ line: 4, column: 3, endLine: 4, endColumn: 6 });
    expect(model.networks.size + model.experiments.size + model.migrations.size).toBe(0);
  });

  it('examples/course-report.qemu-lab.yaml: the kvm-vs-tcg experiment, a migration with benchmarks around it on the isolated bridge, a COLO pair on QEMU 11.1', () => {
    const model = lab(parseFile('examples/course-report.qemu-lab.yaml'));
    expect(model.hosts.get('local')?.qemu).toEqual({ kind: 'version', version: '11.1' });
    expect([...model.vms.values()].map((vm) => [vm.name, vm.nic, vm.accel, vm.cpus, vm.memoryBytes, vm.network])).toEqual([['vm1', 'virtio', 'auto', 1, G, 'lab'], ['ft1', 'virtio', 'auto', 1, 512 * 1024 ** 2, 'user']]);
    expect(model.vms.get('ft1')?.faultTolerance).toEqual({ mode: 'colo', secondary: 'local', checkpointDelayMs: 2000 });
    expect(withoutSpan(model.migrations.get('move-vm1'))).toMatchObject({ vm: 'vm1', to: 'local', sameHost: true, during: ['sysbench-cpu@guest', 'iperf3@guest'], duringSeconds: 10 });
    expect(withoutSpan(model.experiments.get('kvm-vs-tcg'))).toEqual({
      name: 'kvm-vs-tcg',
      vm: 'vm1',
      matrix: { accel: ['kvm', 'tcg'], nic: ['virtio', 'e1000'] },
      targets: ['host', 'guest'],
      benchmarks: ['sysbench-cpu', 'sysbench-memory', 'iperf3'],
      directions: ['to-guest', 'from-guest'],
      repetitions: 3,
      durationSeconds: 2,
    });
  });

  it('the example the "New Lab File" command writes validates with no diagnostics', () => {
    const model = lab(parseLabText(exampleLabText, 'qemu-lab.yaml'));
    expect([...model.hosts.keys()]).toEqual(['local']);
    expect(withoutSpan(model.vms.get('vm1'))).toEqual(defaultVm('vm1'));
    expect([...model.experiments.keys()]).toEqual(['kvm-vs-tcg']);
    expect(model.migrations.size).toBe(0);
  });

  it('the example keeps its promises: an SSH host and a migration, commented out, validate once uncommented', () => {
    const uncommented = exampleLabText
      .replace(/^ {2}# lab-b:\n(?: {2}# {3}.*\n)+/m, (block) => block.replace(/^ {2}# /gm, '  '))
      .replace(/^# migrations:\n(?:# {2}.*\n)+/m, (block) => block.replace(/^# /gm, ''));
    const model = lab(parseLabText(uncommented, 'qemu-lab.yaml'));
    expect(model.hosts.get('lab-b')).toMatchObject({ kind: 'ssh', address: '10.0.0.2', user: 'root', port: 22 });
    expect(withoutSpan(model.migrations.get('move-vm1'))).toEqual({
      name: 'move-vm1',
      vm: 'vm1',
      to: 'lab-b',
      maxBandwidthBytesPerSecond: G,
      downtimeLimitMs: 300,
      capabilities: ['auto-converge'],
      during: [],
      duringSeconds: 20,
      sameHost: false,
      storage: 'copy',
    });
  });

  it('test/fixtures/lab/full.qemu-lab.yaml: every key, parsed into the model', () => {
    const model = lab(parseFile('test/fixtures/lab/full.qemu-lab.yaml'));
    expect([...model.hosts.keys()]).toEqual(['local', 'lab-b']);
    expect(withoutSpan(model.hosts.get('lab-b'))).toEqual({
      name: 'lab-b',
      kind: 'ssh',
      address: '10.0.0.2',
      user: 'root',
      port: 22,
      identity: '~/.ssh/id_ed25519',
    });
    expect(withoutSpan(model.networks.get('lan'))).toEqual({ name: 'lan', kind: 'bridge', bridge: 'br0' });
    expect(withoutSpan(model.vms.get('vm1'))).toEqual(defaultVm('vm1'));
    expect(withoutSpan(model.vms.get('vm2'))).toEqual({
      name: 'vm2',
      host: 'lab-b',
      image: '/var/lib/images/debian.qcow2',
      diskBytes: 10 * G,
      login: { kind: 'cloud-init', user: 'debian' },
      cpus: 4,
      memoryBytes: 2 * G,
      accel: 'kvm',
      machine: 'pc',
      nic: 'rtl8139',
      network: 'lan',
      address: '10.10.0.12/24',
      gateway: '10.10.0.1',
      sshPort: undefined,
      vnc: true,
      extraArgs: ['-device', 'virtio-rng-pci', '-device', 'virtio-balloon'],
    });
    expect(withoutSpan(model.vms.get('vm3'))).toEqual({ ...defaultVm('vm3'), sshPort: 2222 });
    expect(model.experiments.get('kvm-vs-tcg')?.directions).toEqual(['from-guest']);
    expect(withoutSpan(model.experiments.get('defaults'))).toEqual({
      name: 'defaults',
      vm: 'vm3',
      matrix: { accel: undefined, nic: undefined },
      targets: ['guest'],
      benchmarks: ['sysbench-cpu', 'sysbench-memory', 'iperf3'],
      directions: ['to-guest', 'from-guest'],
      repetitions: 5,
      durationSeconds: 10,
    });
    expect(withoutSpan(model.migrations.get('back'))).toEqual({
      name: 'back',
      vm: 'vm2',
      to: 'local',
      maxBandwidthBytesPerSecond: undefined,
      downtimeLimitMs: 2000,
      capabilities: [],
      during: ['sysbench-cpu@guest', 'iperf3@guest'],
      duringSeconds: 10,
      sameHost: false,
      storage: 'shared',
    });
  });

  it('fills every default for an entry written as a bare name', () => {
    const model = lab(parseLabText('vms:\n  vm1:\n  vm2: {}\n', 'lab.yaml'));
    expect(withoutSpan(model.vms.get('vm1'))).toEqual(defaultVm('vm1'));
    expect(withoutSpan(model.vms.get('vm2'))).toEqual(defaultVm('vm2'));
  });

  it('resolves anchors, aliases and << merge keys', () => {
    const text = [
      'vms:',
      '  vm1: &base { cpus: 2, memory: 2G, nic: e1000 }',
      '  vm2: { <<: *base, cpus: 4 }',
      '  vm3: *base',
      'experiments:',
      '  e: { vm: vm2, targets: &both [host, guest] }',
      '  f: { vm: vm3, targets: *both }',
    ].join('\n');
    const model = lab(parseLabText(text, 'lab.yaml'));
    expect([...model.vms.values()].map((vm) => [vm.name, vm.cpus, vm.memoryBytes, vm.nic])).toEqual([
      ['vm1', 2, 2 * G, 'e1000'],
      ['vm2', 4, 2 * G, 'e1000'],
      ['vm3', 2, 2 * G, 'e1000'],
    ]);
    expect(model.experiments.get('f')?.targets).toEqual(['host', 'guest']);
  });

  it('formats diagnostics as path:line:col: severity: message', () => {
    const [diagnostic] = parseLabText('vms:\n  vm1: { cpus: 0 }\n', 'dir/lab.yaml').diagnostics;
    expect(diagnostic).toBeDefined();
    expect(formatDiagnostic(diagnostic!)).toBe('dir/lab.yaml:2:16: error: VM "vm1": cpus must be a whole number from 1 to 64, not 0');
  });
});
