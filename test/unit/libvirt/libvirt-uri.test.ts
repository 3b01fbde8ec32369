import { describe, expect, it } from 'vitest';
import { hostReach } from '../../../extension/core/infrastructure/hosts/host-reach';
import { readLibvirtUri } from '../../../extension/core/infrastructure/libvirt/libvirt-uri';
import { HOSTILE_STRINGS } from '../../support/hostile-strings';
import { parse, summary } from '../lab/helpers';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

describe('libvirt URIs', () => {
  it.each([
    ['qemu:///system', { kind: 'local', uri: 'qemu:///system' }],
    ['qemu:///session', { kind: 'local', uri: 'qemu:///session' }],
    ['qemu+unix:///system?socket=/run/x/libvirt-sock', { kind: 'local', uri: 'qemu+unix:///system?socket=/run/x/libvirt-sock' }],
    ['test:///default', { kind: 'local', uri: 'test:///default' }],
    // virsh runs on the far host, with a URI local to it: the lab's SSH reaches that host.
    ['qemu+ssh://root@10.0.0.2/system', { kind: 'ssh', address: '10.0.0.2', user: 'root', port: undefined, uri: 'qemu:///system' }],
    ['qemu+ssh://lab-b:2222/system', { kind: 'ssh', address: 'lab-b', user: undefined, port: 2222, uri: 'qemu:///system' }],
    ['qemu+ssh://u@[fe80::1]:22/system', { kind: 'ssh', address: 'fe80::1', user: 'u', port: 22, uri: 'qemu:///system' }],
    ['qemu+ssh://h/system?socket=/a/b', { kind: 'ssh', address: 'h', user: undefined, port: undefined, uri: 'qemu+unix:///system?socket=/a/b' }],
  ])('reads %s', (uri, place) => {
    expect(readLibvirtUri(uri)).toEqual({ ok: true, place });
  });

  it.each([
    ['qemu+tcp://h/system', 'qemu+tcp has no authentication'],
    ['qemu+tls://h/system', 'is not one of'],
    ['qemu+libssh2://h/system?known_hosts_verify=ignore', 'is not one of'],
    ['qemu+ssh://h/system?no_verify=1', 'the parameter "no_verify" is not accepted'],
    ['qemu+ssh://h/system?command=/bin/sh', 'the parameter "command" is not accepted'],
    ['qemu+ssh://h/system?netcat=nc', 'the parameter "netcat" is not accepted'],
    ['qemu+ssh://h/system?keyfile=/k', 'the parameter "keyfile" is not accepted'],
    ['qemu+ssh://-oProxyCommand=x/system', 'starts with "-"'],
    ['qemu+ssh://-l@h/system', 'its user "-l" is not a user name'],
    ['qemu+ssh://a*b/system', 'wildcard known_hosts entry'],
    ['qemu+ssh:///system', 'needs a host'],
    ['qemu+ssh://h:99999/system', 'port 99999'],
    ['qemu://h/system', 'names no host'],
    ['qemu:///system?socket=/s', 'goes with qemu+unix'],
    ['qemu+unix:///system?socket=relative', 'not an absolute path'],
    ['qemu+unix:///system?socket=/a&socket=/b', 'twice'],
    ['qemu:///embed?root=/x', 'is not /system or /session'],
    ['qemu:///system\n', 'whitespace or a control character'],
    ['test:///etc/passwd', 'test:///default'],
    ['system', 'is not of the form'],
  ])('refuses %j: %s', (uri, phrase) => {
    const reading = readLibvirtUri(uri);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.problem).toContain(phrase);
  });

  it('never accepts a hostile string as a host, user or socket, and never throws', () => {
    for (const hostile of HOSTILE_STRINGS) {
      for (const uri of [`qemu+ssh://${hostile}/system`, `qemu+ssh://${hostile}@h/system`, `qemu+unix:///system?socket=${hostile}`]) {
        const reading = readLibvirtUri(uri);
        if (reading.ok && reading.place.kind === 'ssh') {
          expect(reading.place.address).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/);
          expect(reading.place.user ?? 'u').toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/);
        }
        if (reading.ok && reading.place.kind === 'local') expect(reading.place.uri).toMatch(/^qemu\+unix:\/\/\/system\?socket=\/\S*$/);
      }
    }
  });
});

describe('kind: libvirt hosts in a lab file', () => {
  it('reads a libvirt host, and its machine is reached where the URI says', () => {
    const lab = parse(lines('hosts:', '  lv: { kind: libvirt, uri: "qemu+ssh://root@10.0.0.2/system" }', '  here: { kind: libvirt, uri: "qemu:///system" }', 'vms:', '  vm1: { host: lv }'));
    expect(lab.diagnostics).toEqual([]);
    const lv = lab.lab?.hosts.get('lv');
    expect(lv).toEqual({ name: 'lv', kind: 'libvirt', uri: 'qemu+ssh://root@10.0.0.2/system', span: expect.anything() });
    if (lv === undefined) throw new Error('no host');
    expect(hostReach(lv)).toEqual({ address: '10.0.0.2', user: 'root', port: undefined });
    const here = lab.lab?.hosts.get('here');
    if (here === undefined) throw new Error('no host');
    expect(hostReach(here)).toBe('local');
  });

  it.each([
    ['a libvirt host without a URI', lines('hosts:', '  lv: { kind: libvirt }'), ['2:3 error missing-key'], 'a libvirt host needs a URI'],
    ['a URI that bypasses host-key checks', lines('hosts:', '  lv: { kind: libvirt, uri: "qemu+ssh://h/system?no_verify=1" }'), ['2:29 error bad-uri'], 'the parameter "no_verify" is not accepted'],
    ['SSH keys on a libvirt host', lines('hosts:', '  lv: { kind: libvirt, uri: "qemu:///system", address: x }'), ['2:47 warning ignored-key'], 'address is ignored for a libvirt host'],
    ['a URI on an SSH host', lines('hosts:', '  b: { address: x, uri: "qemu:///system" }'), ['2:20 warning ignored-key'], 'uri is ignored for an SSH host'],
    ['local as a libvirt host', lines('hosts:', '  local: { kind: libvirt, uri: "qemu:///system" }'), ['2:18 error reserved-name'], 'give the libvirt host another name'],
  ])('%s', (_name, text, expected, phrase) => {
    expect(summary(text)).toEqual(expected);
    expect(parse(text).diagnostics[0]?.message).toContain(phrase);
  });
});

describe('migrations and libvirt hosts', () => {
  const hosts = ['hosts:', '  lv: { kind: libvirt, uri: "qemu:///system" }', '  lv2: { kind: libvirt, uri: "qemu+ssh://h/system" }', '  b: { address: x }'];
  it.each([
    ['from a direct host to a libvirt host', 'vm1: { host: b }', 'to: lv', 'cannot migrate between libvirt host "lv" and "b"'],
    ['from a libvirt host to a direct one', 'vm1: { host: lv }', 'to: local', 'cannot migrate between libvirt host "lv" and "local"'],
  ])('refuses a migration %s, saying why', (_name, vm, to, phrase) => {
    const text = lines(...hosts, 'vms:', `  ${vm}`, 'migrations:', `  m: { vm: vm1, ${to} }`);
    const found = parse(text).diagnostics.filter((d) => d.code === 'backend-mismatch');
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain(phrase);
  });

  it('lets two libvirt hosts migrate (through libvirt)', () => {
    const text = lines(...hosts, 'vms:', '  vm1: { host: lv }', 'migrations:', '  m: { vm: vm1, to: lv2 }');
    expect(parse(text).diagnostics.filter((d) => d.code === 'backend-mismatch')).toEqual([]);
  });

  it('lets two direct hosts migrate as before', () => {
    const text = lines(...hosts, 'vms:', '  vm1: { host: b }', 'migrations:', '  m: { vm: vm1, to: local }');
    expect(parse(text).diagnostics).toEqual([]);
  });
});
