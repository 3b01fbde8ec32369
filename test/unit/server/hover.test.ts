import { describe, expect, it } from 'vitest';
import type { MarkupContent } from 'vscode-languageserver';
import type { HostCapabilities } from '../../../extension/core/infrastructure/hosts/probes/capabilities';
import { hoverAt } from '../../../extension/server/hover-provider';
import { analysisAt, fakeHost, hostsMap } from './helpers';

function hover(marked: string, hosts: ReadonlyMap<string, HostCapabilities> = new Map()): string | undefined {
  const { analysis, position } = analysisAt(marked);
  const found = hoverAt(analysis, position, hosts);
  return found === null ? undefined : (found.contents as MarkupContent).value;
}

describe('hover', () => {
  it('over a key: what it means, its default and the QEMU option it becomes', () => {
    const text = hover('vms:\n  vm1:\n    mem‸ory: 1G\n');
    expect(text).toContain('**memory**');
    expect(text).toContain('Guest memory');
    expect(text).toContain('QEMU: `-m 1024M`');
  });

  it('shows the default when the description does not', () => {
    expect(hover('vms:\n  vm1:\n    ex‸traArgs: []\n')).toMatch(/Default none|Default: `\[\]`/);
    expect(hover('hosts:\n  b:\n    kind‸: ssh\n')).toContain('Default `ssh`');
  });

  it('over a value: the option that value becomes', () => {
    expect(hover('vms:\n  vm1:\n    nic: vir‸tio\n')).toContain('QEMU: `-device virtio-net-pci,netdev=net0`');
    expect(hover('vms:\n  vm1:\n    nic: e10‸00\n')).toContain('`-device e1000,netdev=net0`');
    expect(hover('vms:\n  vm1:\n    memory: 2‸G\n')).toContain('`-m 2048M`');
    expect(hover('vms:\n  vm1: { cpus: 4‸ }\n')).toContain('`-smp 4`');
    expect(hover('vms:\n  vm1:\n    machine: p‸c\n')).toContain('`-machine pc`');
  });

  it('accel: kvm and tcg, and for auto both with the host\'s verdict', () => {
    expect(hover('vms:\n  vm1:\n    accel: k‸vm\n')).toContain('`-accel kvm -cpu host`');
    expect(hover('vms:\n  vm1:\n    accel: t‸cg\n')).toContain('`-accel tcg -cpu max`');
    const auto = hover('vms:\n  vm1:\n    acc‸el: auto\n', hostsMap(fakeHost()));
    expect(auto).toContain('where KVM is usable): `-accel kvm -cpu host`');
    expect(auto).toContain('(otherwise): `-accel tcg -cpu max`');
    expect(auto).toMatch(/On host `local` \(QEMU 7\.2\.22\): KVM is not usable\. .*PVM/);
  });

  it('a value in a matrix is shown as the experiment\'s VM would get it', () => {
    expect(hover('vms:\n  vm1: {}\nexperiments:\n  e: { vm: vm1, matrix: { nic: [virtio, e1‸000] } }\n')).toContain('`-device e1000,netdev=net0`');
  });

  it('what the host\'s QEMU says about a NIC model or machine type', () => {
    expect(hover('vms:\n  vm1:\n    nic: rtl‸8139\n', hostsMap(fakeHost()))).toContain('`rtl8139`, bus PCI');
    expect(hover('vms:\n  vm1:\n    nic: nos‸uch\n', hostsMap(fakeHost()))).toContain('no NIC model `nosuch`');
    expect(hover('vms:\n  vm1:\n    machine: q‸35\n', hostsMap(fakeHost()))).toContain('`pc-q35-7.2`');
  });

  it('over a reference: the entry it names', () => {
    const text = hover('hosts:\n  lab-b: { kind: ssh, address: 10.0.0.2, user: root, port: 2200 }\nvms:\n  vm1: { host: la‸b-b }\n');
    expect(text).toContain('**host lab-b**');
    expect(text).toContain('`ssh -p 2200 root@10.0.0.2`');
    expect(text).toContain('remote hosts are not probed yet');
  });

  it('over a VM\'s name: its whole QEMU command line', () => {
    const text = hover('vms:\n  v‸m1: { memory: 2G, accel: tcg, nic: e1000, extraArgs: [-device, virtio-balloon] }\n');
    expect(text).toContain('**VM vm1** on host `local`');
    expect(text).toContain('qemu-system-x86_64 \\\n  -name vm1,process=qemu-lab:vm1 \\\n  -machine q35 \\\n  -accel tcg \\\n  -cpu max \\');
    expect(text).toContain('  -device e1000,netdev=net0 \\\n');
    expect(text).toContain('  -device virtio-balloon\n```');
  });

  it('over a host\'s name: its last probe', () => {
    const text = hover('hosts:\n  lo‸cal: { kind: local }\n', hostsMap(fakeHost()));
    expect(text).toContain('QEMU 7.2.22');
    expect(text).toContain('8G of memory');
    expect(text).toContain('KVM: not usable');
  });

  it('over an experiment\'s and a migration\'s name: what they do', () => {
    expect(hover('vms:\n  vm1: {}\nexperiments:\n  e‸1: { vm: vm1, matrix: { accel: [kvm, tcg] }, benchmarks: [iperf3], repetitions: 3 }\n')).toContain('2 configuration(s), 4 guest cell(s); iperf host → guest and guest → host: 12 runs of 10 s (3 per cell, after a warm-up)');
    const migration = hover('hosts:\n  b: { kind: ssh, address: b }\nvms:\n  vm1: {}\nmigrations:\n  m‸: { vm: vm1, to: b, capabilities: [multifd] }\n');
    expect(migration).toContain('VM `vm1` from host `local` to host `b`');
  });

  it('migration keys: their QMP side', () => {
    expect(hover('migrations:\n  m:\n    capabilities: [multi‸fd]\n')).toContain("QEMU's `multifd`, from QEMU 4.0");
    expect(hover('migrations:\n  m:\n    capabilities: [post‸copy]\n')).toContain('`postcopy-ram`');
    expect(hover('migrations:\n  m:\n    maxBand‸width: 1G\n')).toContain('`max-bandwidth`');
  });

  it('over a section: what it holds', () => {
    expect(hover('v‸ms:\n  vm1: {}\n')).toContain('The virtual machines');
  });

  it('nothing over spaces, comments, unknown keys or garbage', () => {
    expect(hover('vms:\n  vm1:\n    ‸\n')).toBeUndefined();
    expect(hover('vms: # the V‸Ms\n')).toBeUndefined();
    expect(hover('vms:\n  vm1:\n    nos‸uch: 1\n')).toBeUndefined();
    expect(hover('\u0000‸\u0001')).toBeUndefined();
  });

  it('the hover\'s range is the word under the cursor', () => {
    const { analysis, position } = analysisAt('vms:\n  vm1:\n    nic: vir‸tio\n');
    expect(hoverAt(analysis, position, new Map())?.range).toEqual({ start: { line: 2, character: 9 }, end: { line: 2, character: 15 } });
  });
});
