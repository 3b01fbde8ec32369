import { describe, expect, it } from 'vitest';
import { parseLabText } from '../../../../extension/core/lab/parse';
import type { LabModel } from '../../../../extension/core/lab/model';
import { CAPABILITY_CHOICES, bandwidthValue, checkBandwidth, checkDowntime, destinationChoices, downtimeValue, labMigrationChoices } from '../../../../extension/presentation/migration/migrate-choices';
import { CAPABILITIES } from '../../../../extension/core/lab/vocabulary';

function lab(text: string): LabModel {
  const parsed = parseLabText(text, '/lab/qemu-lab.yaml');
  if (parsed.lab === undefined) throw new Error('no model');
  return parsed.lab;
}

describe('Migrate VM… choices', () => {
  const model = lab(['hosts:', '  lab-b: { kind: ssh, address: 10.0.0.2, user: root }', '  lab-c: { kind: ssh, address: lab-c }', 'vms:', '  vm1: { memory: 512M }', ''].join('\n'));

  it('offers the other hosts first, then the same host as a loopback test', () => {
    const choices = destinationChoices(model, 'local');
    expect(choices.map((c) => [c.host, c.sameHost])).toEqual([
      ['lab-b', false],
      ['lab-c', false],
      ['local', true],
    ]);
    expect(choices[0]?.description).toBe('ssh root@10.0.0.2');
    expect(choices[2]?.label).toBe('local (same host)');
    expect(destinationChoices(model, 'lab-b').map((c) => c.host)).toEqual(['local', 'lab-c', 'lab-b']);
  });

  it('offers a VM on a libvirt host only the other libvirt hosts, and a direct VM no libvirt host', () => {
    const mixed = lab(['hosts:', '  lv1: { kind: libvirt, uri: "qemu:///system" }', '  lv2: { kind: libvirt, uri: "qemu+ssh://root@10.0.0.3/system" }', '  lab-b: { address: 10.0.0.2 }', 'vms:', '  vm1: { host: lv1 }', ''].join('\n'));
    expect(destinationChoices(mixed, 'lv1').map((c) => [c.host, c.sameHost, c.description])).toEqual([['lv2', false, 'libvirt qemu+ssh://root@10.0.0.3/system']]);
    expect(destinationChoices(mixed, 'local').map((c) => c.host)).toEqual(['lab-b', 'local']);
  });

  it('offers every capability, each with what it costs', () => {
    expect(CAPABILITY_CHOICES.map((c) => c.capability)).toEqual([...CAPABILITIES]);
    for (const choice of CAPABILITY_CHOICES) expect(choice.detail.length).toBeGreaterThan(40);
  });

  it('checks the optional limits: empty keeps the default, a bare number of ms is a downtime', () => {
    expect(checkBandwidth('')).toBeUndefined();
    expect(checkBandwidth('100M')).toBeUndefined();
    expect(checkBandwidth('fast')).toMatch(/not a bandwidth/);
    expect(bandwidthValue('1G')).toBe(1024 ** 3);
    expect(bandwidthValue(' ')).toBeUndefined();
    expect(checkDowntime('300')).toBeUndefined();
    expect(checkDowntime('2s')).toBeUndefined();
    expect(checkDowntime('soon')).toMatch(/not a duration/);
    expect(downtimeValue('300')).toBe(300);
    expect(downtimeValue('2s')).toBe(2000);
    expect(downtimeValue('')).toBeUndefined();
  });
});

describe('the lab file\'s migrations, offered first', () => {
  const model = lab(
    [
      'vms:',
      '  vm1: { memory: 512M }',
      '  vm2: { memory: 512M }',
      'migrations:',
      '  move: { vm: vm1, to: local, sameHost: true, capabilities: [auto-converge, xbzrle], maxBandwidth: 100M, downtimeLimit: 50ms, during: [iperf3@guest], duringSeconds: 10 }',
      '  plain: { vm: vm1, to: local, sameHost: true }',
      '  other: { vm: vm2, to: local, sameHost: true }',
      '',
    ].join('\n'),
  );

  it('lists the VM\'s entries in the file\'s order, each saying where to and how', () => {
    expect(labMigrationChoices(model, 'vm1')).toEqual([
      {
        name: 'move',
        label: 'move',
        description: 'to local (same host) · auto-converge, xbzrle · ≤ 100 MiB/s · downtime ≤ 50 ms',
        detail: 'with iperf3@guest: a 10 s baseline, then again while it migrates',
      },
      { name: 'plain', label: 'plain', description: 'to local (same host) · plain pre-copy', detail: undefined },
    ]);
  });

  it('offers none for a VM the lab file migrates nowhere', () => {
    expect(labMigrationChoices(model, 'vm3')).toEqual([]);
    expect(labMigrationChoices(model, 'vm2').map((c) => c.name)).toEqual(['other']);
  });
});
