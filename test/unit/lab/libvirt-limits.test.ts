// What the lab validator says of parts a libvirt host does not run yet: before anything boots,
// the line to fix and what to do instead.
import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../extension/core/lab/parse';

const LV = 'hosts:\n  lv: { kind: libvirt, uri: "qemu:///system" }\n  lv2: { kind: libvirt, uri: "qemu+ssh://root@10.0.0.8/system" }\n';
const mismatches = (text: string) =>
  parseLabText(text, 'lab.yaml')
    .diagnostics.filter((d) => d.code === 'backend-mismatch')
    .map((d) => `${d.span.line} ${d.severity} ${d.message}`);

describe('libvirt hosts: what is refused before anything boots', () => {
  it('a COLO pair with either side on a libvirt host', () => {
    const primary = mismatches(`${LV}vms:\n  ft1: { host: lv, machine: pc, faultTolerance: { mode: colo, secondary: lv } }\n`);
    expect(primary).toHaveLength(1);
    expect(primary[0]).toMatch(/^5 error VM "ft1" is a COLO pair with a side on libvirt host "lv".*run it on a local or SSH host/);
    const secondary = mismatches(`${LV}vms:\n  ft1: { machine: pc, faultTolerance: { mode: colo, secondary: lv } }\n`);
    expect(secondary).toHaveLength(1);
    expect(secondary[0]).toContain('libvirt host "lv"');
    expect(mismatches('vms:\n  ft1: { machine: pc, faultTolerance: { mode: colo, secondary: local } }\n')).toEqual([]);
  });

  it('an isolated network on a libvirt host, not a bridge network there', () => {
    const networks = 'networks:\n  lab: { kind: isolated, address: 10.77.0.1/24 }\n  lan: { bridge: br0 }\n';
    const isolated = mismatches(`${LV}${networks}vms:\n  vm1: { host: lv, network: lab, address: 10.77.0.11/24 }\n`);
    expect(isolated).toHaveLength(1);
    expect(isolated[0]).toMatch(/isolated network "lab" on libvirt host "lv".*use a kind: bridge network there/);
    expect(mismatches(`${LV}${networks}vms:\n  vm1: { host: lv, network: lan, address: 10.0.0.11/24 }\n`)).toEqual([]);
    expect(mismatches(`${networks}vms:\n  vm1: { network: lab, address: 10.77.0.11/24 }\n`)).toEqual([]);
  });

  it('a same-host migration of a libvirt VM, not one to another libvirt host', () => {
    const same = mismatches(`${LV}vms:\n  vm1: { host: lv }\nmigrations:\n  move: { vm: vm1, to: lv, sameHost: true }\n`);
    expect(same).toHaveLength(1);
    expect(same[0]).toMatch(/migration "move" moves VM "vm1" to a second domain on its own libvirt host "lv"/);
    expect(mismatches(`${LV}vms:\n  vm1: { host: lv }\nmigrations:\n  move: { vm: vm1, to: lv2 }\n`)).toEqual([]);
  });
});
