import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../extension/core/lab/parse';
import { labDiagnostics } from '../../../extension/server/diagnostics-provider';
import { hostDiagnostics } from '../../../extension/server/host-diagnostics';
import { analysisOf, fakeHost, hostsMap } from './helpers';

/** Host diagnostics of `text` as `line:column severity code` (1-based), with `hosts` probed. */
function check(text: string, hosts = hostsMap(fakeHost())): string[] {
  const analysis = analysisOf(text);
  const lab = analysis.parse.lab;
  if (lab === undefined) throw new Error('no model');
  return hostDiagnostics(lab, hosts, analysis.tree).map((d) => `${d.span.line}:${d.span.column} ${d.severity} ${d.code}`);
}

describe('hostDiagnostics', () => {
  it('accel: kvm on a host where KVM is not usable: an error on the value, with the reason and a tcg fix', () => {
    const text = 'vms:\n  vm1:\n    accel: kvm\n';
    expect(check(text)).toEqual(['3:12 error kvm-unusable']);
    const analysis = analysisOf(text);
    const [found] = hostDiagnostics(analysis.parse.lab!, hostsMap(fakeHost()), analysis.tree);
    expect(found?.message).toContain('PVM');
    expect(found?.data).toEqual({ host: 'local', fix: 'use-tcg' });
  });

  it('accel: kvm where KVM is usable, and accel: auto or tcg anywhere, are fine', () => {
    expect(check('vms:\n  vm1: { accel: kvm }\n', hostsMap(fakeHost({ kvmUsable: true })))).toEqual([]);
    expect(check('vms:\n  vm1: { accel: auto }\n  vm2: { accel: tcg }\n')).toEqual([]);
  });

  it('a NIC model the host\'s QEMU lacks, with a "did you mean" from the models it has', () => {
    expect(check('vms:\n  vm1: { nic: rtl8193 }\n')).toEqual(['2:15 error nic-not-offered']);
    const analysis = analysisOf('vms:\n  vm1: { nic: rtl8193 }\n');
    expect(hostDiagnostics(analysis.parse.lab!, hostsMap(fakeHost()), analysis.tree)[0]?.data.suggestion).toBe('rtl8139');
    // virtio becomes virtio-net-pci, which the host has; so do e1000 and rtl8139.
    expect(check('vms:\n  a: { nic: virtio }\n  b: { nic: e1000 }\n  c: { nic: rtl8139 }\n  d: {}\n')).toEqual([]);
  });

  it('a machine type the host\'s QEMU lacks', () => {
    const host = fakeHost({ machines: [{ name: 'pc', description: 'Standard PC', aliasOf: 'pc-i440fx-7.2', isDefault: false }] });
    expect(check('vms:\n  vm1: { machine: q35 }\n  vm2: { machine: pc }\n', hostsMap(host))).toEqual(['2:19 error machine-not-offered']);
  });

  it('more memory than the host has is a warning', () => {
    expect(check('vms:\n  vm1:\n    memory: 16G\n  vm2:\n    memory: 8G\n')).toEqual(['3:13 warning memory-exceeds-host']);
  });

  it('checks the matrix of an experiment against its VM\'s host', () => {
    const text = 'vms:\n  vm1: {}\nexperiments:\n  e1: { vm: vm1, matrix: { accel: [tcg, kvm], nic: [virtio, nosuchnic] } }\n';
    expect(check(text)).toEqual(['4:41 error kvm-unusable', '4:61 error nic-not-offered']);
  });

  it('a host never probed is never checked', () => {
    const text = 'hosts:\n  b: { kind: ssh, address: b }\nvms:\n  vm1: { host: b, accel: kvm, memory: 1T, nic: whatever }\n';
    expect(check(text)).toEqual([]);
    expect(check('vms:\n  vm1: { accel: kvm }\n', new Map())).toEqual([]);
  });

  it('a migration between hosts whose QEMU versions differ, only when both are probed', () => {
    const text = 'hosts:\n  b: { kind: ssh, address: b }\nvms:\n  vm1: {}\nmigrations:\n  m: { vm: vm1, to: b }\n';
    expect(check(text, hostsMap(fakeHost(), fakeHost({ host: 'b', version: [8, 2, 0] })))).toEqual(['6:21 warning qemu-version-mismatch']);
    expect(check(text, hostsMap(fakeHost(), fakeHost({ host: 'b', version: [6, 2, 0] })))).toEqual(['6:21 error qemu-version-mismatch']);
    expect(check(text, hostsMap(fakeHost(), fakeHost({ host: 'b', version: [7, 2, 1] })))).toEqual([]);
    expect(check(text, hostsMap(fakeHost()))).toEqual([]);
  });

  it('a migration capability the QEMU of either host is too old for', () => {
    const text = 'hosts:\n  b: { kind: ssh, address: b }\nvms:\n  vm1: {}\nmigrations:\n  m: { vm: vm1, to: b, capabilities: [xbzrle, multifd] }\n';
    const old = hostsMap(fakeHost({ version: [3, 1, 0] }));
    expect(check(text, old)).toEqual(['6:47 error capability-unsupported']);
    expect(check(text, hostsMap(fakeHost()))).toEqual([]);
  });

  it('without the tree, places problems on the entry\'s name', () => {
    const lab = parseLabText('vms:\n  vm1:\n    accel: kvm\n', 'lab.yaml').lab!;
    expect(hostDiagnostics(lab, hostsMap(fakeHost())).map((d) => `${d.span.line}:${d.span.column}`)).toEqual(['2:3']);
  });
});

describe('labDiagnostics: the validator\'s and the host checks together', () => {
  it('reports two VMs forwarding the same sshPort once, with the validator\'s code', () => {
    const text = 'vms:\n  vm1: { sshPort: 2222 }\n  vm2: { sshPort: 2222 }\n';
    const codes = labDiagnostics(analysisOf(text), hostsMap(fakeHost())).map((d) => d.code);
    expect(codes).toEqual(['duplicate-ssh-port']);
  });

  it('gives the CLI\'s diagnostics first-class, and host ones in file order with them', () => {
    const text = 'vms:\n  vm1:\n    accel: kvm\n    memroy: 1G\n';
    const found = labDiagnostics(analysisOf(text), hostsMap(fakeHost()));
    expect(found.map((d) => `${d.range.start.line}:${d.range.start.character} ${String(d.code)}`)).toEqual(['2:11 kvm-unusable', '3:4 unknown-key']);
    expect(found.every((d) => d.source === 'qemu-lab')).toBe(true);
  });

  it('a bug in the host checks is logged, and the validator\'s diagnostics still come', () => {
    const errors: string[] = [];
    const broken = new Map([['local', { ...fakeHost(), nicModels: null } as unknown as ReturnType<typeof fakeHost>]]);
    const found = labDiagnostics(analysisOf('vms:\n  vm1: { memroy: 1G }\n'), broken, { error: (m) => errors.push(m) });
    expect(found.map((d) => d.code)).toEqual(['unknown-key']);
    expect(errors.join('')).toMatch(/host checks failed/);
  });
});
