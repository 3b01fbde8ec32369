import { describe, expect, it } from 'vitest';
import { parse, summary } from './helpers';

/** A lab text, its exact diagnostics (`line:col severity code`), and a phrase of the first message. */
type Case = [name: string, text: string, expected: string[], phrase: string];

const lines = (...text: string[]): string => `${text.join('\n')}\n`;
const bridged = (vm: string): string => lines('networks:', '  lan: { bridge: br0 }', 'vms:', `  vm1: { network: lan, ${vm} }`);

const cases: Case[] = [
  // Shapes.
  ['a section that is a list', 'hosts: [a, b]\n', ['1:8 error not-a-mapping'], 'hosts must be a mapping of names to host definitions'],
  ['a section that is text', 'vms: vm1\n', ['1:6 error not-a-mapping'], 'vms must be a mapping'],
  ['an entry that is a number', lines('vms:', '  vm1: 3'), ['2:8 error not-a-mapping'], 'VM "vm1" must be a mapping of keys, like "vm1: { memory: 1G }"'],
  ['a top-level list', '- vm1\n', ['1:1 error not-a-mapping'], 'a lab file is a mapping of sections'],
  ['an unknown top-level section', 'vm: {}\n', ['1:1 error unknown-key'], 'unknown key "vm" (did you mean "vms"?)'],
  ['an unknown key, nothing close', lines('vms:', '  vm1: { colour: red }'), ['2:10 error unknown-key'], 'unknown key "colour"; it may hold host, image'],
  ['a key written twice', lines('vms:', '  vm1: { cpus: 1, cpus: 2 }'), ['2:19 error duplicate-key'], '"cpus" is written twice (first on line 2)'],
  ['a name over 64 characters', lines('vms:', `  ${'a'.repeat(65)}: {}`), ['2:3 error invalid-name'], 'is longer than 64 characters'],
  ['a host name with a slash', lines('hosts:', '  a/b: { address: x }'), ['2:3 error invalid-name'], 'host name "a/b" may only use letters'],
  // Names that would be read as an option or walk out of a directory (they name run dirs, records and files).
  ['a VM name starting with "-"', lines('vms:', '  -oProxyCommand=x: {}'), ['2:3 error invalid-name'], 'must start with a letter, a digit or "_"'],
  ['a VM named ".."', lines('vms:', '  "..": {}'), ['2:3 error invalid-name'], 'VM name ".." may only use'],
  ['a network named "."', lines('networks:', '  ".": { kind: isolated }'), ['2:3 error invalid-name'], 'must start with a letter'],
  ['a hidden host name', lines('hosts:', '  .b: { address: x }'), ['2:3 error invalid-name'], 'must start with a letter'],
  ['an experiment name starting with "-"', lines('experiments:', '  -e: { vm: vm1 }'), ['2:3 error invalid-name'], 'must start with a letter'],
  ['a migration named "..x"', lines('migrations:', '  ..x: { vm: vm1, to: b }'), ['2:3 error invalid-name'], 'must start with a letter'],
  ['names with dots and dashes inside', lines('vms:', '  web-1.a_b: {}', '  _x: {}', '  9z: {}'), [], ''],

  // Types and values.
  ['cpus as a word', lines('vms:', '  vm1: { cpus: two }'), ['2:16 error wrong-type'], 'cpus must be a whole number from 1 to 64, not "two"'],
  ['cpus quoted', lines('vms:', '  vm1: { cpus: "2" }'), ['2:16 error wrong-type'], 'write it without quotes'],
  ['cpus not whole', lines('vms:', '  vm1: { cpus: 1.5 }'), ['2:16 error out-of-range'], 'not 1.5'],
  ['cpus zero', lines('vms:', '  vm1: { cpus: 0 }'), ['2:16 error out-of-range'], 'from 1 to 64, not 0'],
  ['an empty string', lines('vms:', '  vm1: { image: "" }'), ['2:17 error empty-value'], 'image is empty'],
  ['a key with no value', lines('vms:', '  vm1: { image: }'), ['2:10 error empty-value'], 'image has no value'],
  ['a number for text', lines('vms:', '  vm1: { image: 5 }'), ['2:17 error wrong-type'], 'quote it: "5"'],
  ['a number in extraArgs', lines('vms:', '  vm1: { extraArgs: [-smp, 2] }'), ['2:28 error wrong-type'], 'each item of extraArgs must be text, not the number 2'],
  ['extraArgs as one string', lines('vms:', '  vm1: { extraArgs: "-smp 2" }'), ['2:21 error wrong-type'], 'extraArgs must be a list'],
  ['vnc: no', lines('vms:', '  vm1: { vnc: no }'), ['2:15 error wrong-type'], 'YAML 1.2 reads "no" as text: write false'],
  ['vnc: 1', lines('vms:', '  vm1: { vnc: 1 }'), ['2:15 error wrong-type'], 'vnc must be true or false, not the number 1'],
  ['memory without a unit', lines('vms:', '  vm1: { memory: 512 }'), ['2:18 warning suspicious-value'], 'memory is 512 bytes'],
  ['memory small but with a unit', lines('vms:', '  vm1: { memory: 512K }'), [], ''],
  ['memory zero', lines('vms:', '  vm1: { memory: 0 }'), ['2:18 error out-of-range'], 'memory cannot be 0'],
  ['memory 1GB', lines('vms:', '  vm1: { memory: 1GB }'), ['2:18 error bad-size'], '"1GB" is not a size: use 1G or 1024M'],
  ['memory as a list', lines('vms:', '  vm1: { memory: [1G] }'), ['2:18 error wrong-type'], 'memory must be a single value'],
  ['an unknown machine', lines('vms:', '  vm1: { machine: q53 }'), ['2:19 error unknown-value'], 'unknown machine type "q53" (did you mean "q35"?)'],
  ['versioned machine types', lines('vms:', '  vm1: { machine: pc-i440fx-7.2 }', '  vm2: { machine: pc-q35-11.1 }'), [], ''],
  ['a versioned machine type of another family', lines('vms:', '  vm1: { machine: pc-piix-7.2 }'), ['2:19 error unknown-value'], 'unknown machine type "pc-piix-7.2"'],
  ['accel nothing like', lines('vms:', '  vm1: { accel: hvf }'), ['2:17 error unknown-value'], 'unknown accelerator "hvf"; choose kvm, tcg or auto'],
  ['a near miss of a known NIC', lines('vms:', '  vm1: { nic: virtoi }'), ['2:15 warning unknown-value'], '(did you mean "virtio"?)'],
  ['another QEMU NIC model', lines('vms:', '  vm1: { nic: rtl8139 }'), [], ''],
  ['sshPort below 1024', lines('vms:', '  vm1: { sshPort: 22 }'), ['2:19 error out-of-range'], 'sshPort must be a whole number from 1024 to 65535, not 22'],

  // Networks and addresses.
  ['an invalid address', bridged('address: 10.0.0.300/24'), ['4:33 error bad-address'], '"10.0.0.300/24" is not an IP address with a prefix'],
  ['an address without prefix', bridged('address: 10.0.0.3'), ['4:33 error bad-address'], 'needs a prefix length, like 10.0.0.3/24'],
  ['a prefix too long', bridged('address: 10.0.0.3/33'), ['4:33 error bad-address'], 'bad prefix length; use 0 to 32'],
  ['an IPv6 address', bridged('address: "fd00::11/64"'), [], ''],
  ['an invalid gateway', bridged('address: 10.0.0.3/24, gateway: nope'), ['4:55 error bad-address'], '"nope" is not an IP address'],
  ['sshPort on a bridge', bridged('address: 10.0.0.3/24, sshPort: 2222'), ['4:46 warning ignored-key'], 'sshPort is ignored on a bridge network'],
  ['a built-in guest on a bridge without address', bridged('nic: e1000'), ['4:3 error missing-address'], 'give it an address, like "address: 10.10.0.11/24"'],
  ['a disk image on a bridge without address', bridged('image: /srv/disk.qcow2'), [], ''],
  [
    'an isolated network suggests an address on it',
    lines('networks:', '  lab: { kind: isolated, address: 10.88.0.1/24 }', 'vms:', '  vm1: { network: lab }'),
    ['4:3 error missing-address'],
    '"address: 10.88.0.11/24"',
  ],
  ['an isolated network with the default address', lines('networks:', '  lab: { kind: isolated }', 'vms:', '  vm1: { network: lab, address: 10.77.0.11/24 }'), [], ''],
  [
    'an address off the isolated network',
    lines('networks:', '  lab: { kind: isolated }', 'vms:', '  vm1: { network: lab, address: 10.78.0.11/24 }'),
    ['4:3 error address-outside-network'],
    'is not on network "lab" (10.77.0.1/24); use 10.77.0.11/24',
  ],
  [
    'the host side address given to a VM',
    lines('networks:', '  lab: { kind: isolated }', 'vms:', '  vm1: { network: lab, address: 10.77.0.1/24 }'),
    ['4:3 error duplicate-address'],
    'is the host side of network "lab"',
  ],
  [
    'two VMs with one address',
    lines('networks:', '  lan: { bridge: br0 }', 'vms:', '  a: { network: lan, address: 10.0.0.3/24 }', '  b: { network: lan, address: 10.0.0.3/24 }'),
    ['5:3 error duplicate-address'],
    'VM "b" has the address of VM "a" on network "lan"',
  ],
  ['a bad isolated address', lines('networks:', '  lab: { kind: isolated, address: 10.77.0.1 }'), ['2:35 error bad-address'], 'needs a prefix length'],
  ['a bridge name on an isolated network', lines('networks:', '  lab: { kind: isolated, bridge: br0 }'), ['2:26 warning ignored-key'], "lives in the tool's own namespace"],
  ['a gateway on the user network', lines('vms:', '  vm1: { gateway: 10.0.0.1 }'), ['2:10 error address-without-bridge'], 'gateway only applies on a bridge network'],
  ['a network named user', lines('networks:', '  user: { bridge: br0 }'), ['2:3 error reserved-name'], '"user" means QEMU\'s user-mode network'],
  ['a network without bridge', lines('networks:', '  lan: {}'), ['2:3 error missing-key'], 'add "bridge: br0"'],
  ['a bad bridge name', lines('networks:', '  lan: { bridge: "br 0" }'), ['2:18 error invalid-bridge'], 'is not a Linux interface name'],
  ['an unknown network kind', lines('networks:', '  lan: { kind: bidge, bridge: br0 }'), ['2:16 error unknown-value'], 'unknown network kind "bidge" (did you mean "bridge"?)'],
  ['VM on an undefined network', lines('vms:', '  vm1: { network: lan, address: 10.0.0.2/24 }'), ['2:19 error undefined-network'], 'use "user" or add it under networks:'],

  // Hosts.
  ['local as an SSH host', lines('hosts:', '  local: { kind: ssh, address: x }'), ['2:18 error reserved-name'], 'host "local" is always this machine'],
  ['SSH keys on a local host', lines('hosts:', '  box: { kind: local, address: 1.2.3.4, user: me }'), ['2:23 warning ignored-key', '2:41 warning ignored-key'], 'address is ignored for a local host'],
  ['a qemu on a libvirt host', lines('hosts:', '  lv: { kind: libvirt, uri: "qemu:///system", qemu: "11.1" }'), ['2:47 warning ignored-key'], 'libvirt runs the QEMU its own configuration names'],
  ['an unknown host kind', lines('hosts:', '  b: { kind: sshh, address: x }'), ['2:14 error unknown-value'], 'unknown host kind "sshh" (did you mean "ssh"?)'],
  ['an SSH address with a comma', lines('hosts:', '  b: { address: "lab-a,*" }'), ['2:17 error bad-address'], 'would write a wildcard known_hosts entry'],
  ['an SSH address that is a pattern', lines('hosts:', '  b: { address: "10.0.0.*" }'), ['2:17 error bad-address'], 'one of , * ? !'],
  ['an SSH address that is an option', lines('hosts:', '  b: { address: -oProxyCommand=x }'), ['2:17 error bad-address'], 'starts with "-"'],
  ['an SSH address with a space', lines('hosts:', '  b: { address: "a b" }'), ['2:17 error bad-address'], 'whitespace'],
  ['an SSH user that is an option', lines('hosts:', '  b: { address: x, user: -lroot }'), ['2:26 error invalid-user'], 'user "-lroot" is not a user name'],
  ['SSH addresses of every valid kind', lines('hosts:', '  a: { address: lab-a.example.org, user: me.too }', '  b: { address: 10.0.0.2 }', '  c: { address: "fe80::1%eth0" }', '  d: { address: "::1" }', '  e: { address: my_alias }'), [], ''],
  ['a host port out of range', lines('hosts:', '  b: { address: x, port: 0 }'), ['2:26 error out-of-range'], 'port must be a whole number from 1 to 65535, not 0'],
  ['a VM on an undefined host, nothing close', lines('vms:', '  vm1: { host: faraway }'), ['2:16 error undefined-host'], 'host "faraway" is not defined; add it under hosts:'],

  // Experiments.
  ['an experiment without vm', lines('experiments:', '  e: {}'), ['2:3 error missing-key'], 'add "vm: <name>"'],
  ['an experiment on an undefined VM', lines('experiments:', '  e: { vm: vm9 }'), ['2:12 error undefined-vm'], 'VM "vm9" is not defined; add it under vms:'],
  [
    'an experiment with many problems',
    lines('vms: { vm1: {} }', 'experiments:', '  e: { vm: vm1, targets: [], benchmarks: [iperf3, iperf3], matrix: { machine: [pc], nic: ["e 1000"] } }'),
    ['3:26 error empty-list', '3:51 warning duplicate-item', '3:70 error unknown-key', '3:91 error invalid-nic'],
    'targets is an empty list',
  ],
  ['targets as a word', lines('vms: { vm1: {} }', 'experiments:', '  e: { vm: vm1, targets: guest }'), ['3:26 error wrong-type'], 'write [guest]'],
  ['an unknown target', lines('vms: { vm1: {} }', 'experiments:', '  e: { vm: vm1, targets: [gest] }'), ['3:27 error unknown-value'], 'unknown target "gest" (did you mean "guest"?)'],
  ['an unknown direction', lines('vms: { vm1: {} }', 'experiments:', '  e: { vm: vm1, direction: [from-gest] }'), ['3:29 error unknown-value'], 'unknown direction "from-gest" (did you mean "from-guest"?)'],
  ['repetitions as text', lines('vms: { vm1: {} }', 'experiments:', '  e: { vm: vm1, repetitions: many }'), ['3:30 error wrong-type'], 'repetitions must be a whole number from 1 to 1000'],
  ['an empty matrix', lines('vms: { vm1: {} }', 'experiments:', '  e: { vm: vm1, matrix: }'), ['3:17 error empty-value'], 'matrix has no value'],

  // Migrations.
  ['a migration without vm and to', lines('vms: { vm1: {} }', 'migrations:', '  m: {}'), ['3:3 error missing-key', '3:3 error missing-key'], 'say which VM moves'],
  [
    'bad bandwidth and duration',
    lines('vms: { vm1: {} }', 'hosts: { b: { address: x } }', 'migrations:', '  m: { vm: vm1, to: b, maxBandwidth: 1Gbps, downtimeLimit: 5m }'),
    ['4:38 error bad-bandwidth', '4:60 error bad-duration'],
    'bytes per second like 100M or 1G',
  ],
  [
    'limits of bandwidth and downtime',
    lines('vms: { vm1: {} }', 'hosts: { b: { address: x } }', 'migrations:', '  m: { vm: vm1, to: b, maxBandwidth: 0, downtimeLimit: 3000s }'),
    ['4:38 error out-of-range', '4:56 error out-of-range'],
    'maxBandwidth cannot be 0',
  ],
  ['a migration to an undefined host', lines('vms: { vm1: {} }', 'migrations:', '  m: { vm: vm1, to: lab-c }'), ['3:21 error undefined-host'], 'host "lab-c" is not defined'],
  ['a migration of an undefined VM', lines('hosts: { b: { address: x } }', 'migrations:', '  m: { vm: vm2, to: b }'), ['3:12 error undefined-vm'], 'VM "vm2" is not defined'],
  ['an unknown capability', lines('vms: { vm1: {} }', 'hosts: { b: { address: x } }', 'migrations:', '  m: { vm: vm1, to: b, capabilities: [compress] }'), ['4:39 error unknown-value'], 'unknown migration capability "compress"; choose auto-converge'],
  // A host's QEMU: an installed version or an absolute path; numbers must be quoted (11.10 would be 11.1).
  ['a QEMU version unquoted', lines('hosts:', '  local: { qemu: 11.1 }'), ['2:18 error wrong-type'], 'quote it: "11.1"'],
  ['a QEMU that is neither version nor absolute path', lines('hosts:', '  local: { qemu: qemu-system-x86_64 }'), ['2:18 error invalid-qemu'], 'neither a QEMU version (e.g. "11.1"'],
  ['a QEMU path walking up', lines('hosts:', '  b: { address: x, qemu: /opt/../bin/qemu }'), ['2:26 error invalid-qemu'], 'absolute path'],
  ['a QEMU version like an option', lines('hosts:', '  local: { qemu: "-11.1" }'), ['2:18 error invalid-qemu'], 'neither'],
  ['QEMU versions and paths', lines('hosts:', '  local: { qemu: "11.1" }', '  b: { address: x, qemu: /opt/qemu/bin/qemu-system-x86_64 }', '  c: { address: y, qemu: "10.0.13" }'), [], ''],
  ['an unknown disk storage', lines('vms: { vm1: { image: /i/d.qcow2 } }', 'hosts: { b: { address: x } }', 'migrations:', '  m: { vm: vm1, to: b, storage: nfs }'), ['4:33 error unknown-value'], 'unknown disk storage "nfs"; choose copy'],
  ['disk storage for the built-in guest', lines('vms: { vm1: {} }', 'hosts: { b: { address: x } }', 'migrations:', '  m: { vm: vm1, to: b, storage: shared }'), ['4:33 warning ignored-key'], 'storage has no effect on the built-in guest'],
  ['disk storage for a disk guest', lines('vms: { vm1: { image: /i/d.qcow2 } }', 'hosts: { b: { address: x } }', 'migrations:', '  m: { vm: vm1, to: b, storage: shared }', '  n: { vm: vm1, to: b, storage: copy }'), [], ''],
  ['no capabilities at all', lines('vms: { vm1: {} }', 'hosts: { b: { address: x } }', 'migrations:', '  m: { vm: vm1, to: b, capabilities: [] }'), [], ''],
  // during: the words of migrate --during, one BENCH@WHERE per item.
  ['a during benchmark that cannot be sampled', lines('vms: { vm1: {} }', 'hosts: { b: { address: x } }', 'migrations:', '  m: { vm: vm1, to: b, during: [fio@guest] }'), ['4:33 error unknown-value'], '"fio" cannot be sampled per second'],
  ['a during place that is none', lines('vms: { vm1: {} }', 'hosts: { b: { address: x } }', 'migrations:', '  m: { vm: vm1, to: b, during: [iperf3@vm1] }'), ['4:33 error unknown-value'], '"vm1" is not a place'],
  ['two during benchmarks in one item', lines('vms: { vm1: {} }', 'hosts: { b: { address: x } }', 'migrations:', '  m: { vm: vm1, to: b, during: ["iperf3@guest,iperf@guest"] }'), ['4:33 error unknown-value'], 'one BENCH@WHERE per item'],
  ['duringSeconds without during', lines('vms: { vm1: {} }', 'hosts: { b: { address: x } }', 'migrations:', '  m: { vm: vm1, to: b, duringSeconds: 10 }'), ['4:39 warning ignored-key'], 'no effect without during:'],
  ['duringSeconds too short', lines('vms: { vm1: {} }', 'hosts: { b: { address: x } }', 'migrations:', '  m: { vm: vm1, to: b, during: [iperf3@guest], duringSeconds: 1 }'), ['4:63 error out-of-range'], 'from 3 to 3600'],
  ['a same-host migration asked for', lines('vms: { vm1: {} }', 'migrations:', '  m: { vm: vm1, to: local, sameHost: true, during: [sysbench-cpu@guest, iperf3@guest] }'), [], ''],

  // YAML itself.
  ['a tab', 'vms:\n\tvm1: {}\n', ['2:1 error yaml-syntax'], 'YAML cannot be indented with tabs'],
  ['a custom tag', lines('vms:', '  vm1: !secret { cpus: 1 }'), ['2:8 warning yaml-warning'], 'Unresolved tag: !secret'],
  ['a bad merge', lines('vms:', '  vm1: { <<: 5 }'), ['2:14 error wrong-type'], '"<<" merges mappings'],
  ['a key that is a mapping', lines('vms:', '  ? { a: 1 }', '  : {}'), ['2:5 error wrong-type'], 'a key must be a plain name'],
  ['two documents', 'vms: {}\n---\nvms: {}\n', ['2:1 error multiple-documents'], 'a lab file holds one YAML document'],
  ['an undefined alias', lines('vms:', '  vm1: *base'), ['2:8 error undefined-alias'], 'alias *base names no anchor'],
  ['a recursive alias', lines('vms: &v', '  vm1: *v'), ['2:8 error alias-cycle'], 'alias *v is inside the node it names'],
];

describe('validation', () => {
  it.each(cases)('%s', (_name, text, expected, phrase) => {
    expect(summary(text)).toEqual(expected);
    if (expected.length > 0) expect(parse(text).diagnostics[0]?.message).toContain(phrase);
  });

  it('reports a problem inside a merged anchor at the anchor, once per VM that uses it', () => {
    const text = lines('vms:', '  vm1: &base { cpu: 2 }', '  vm2: { <<: *base }');
    expect(summary(text)).toEqual(['2:16 error unknown-key', '2:16 error unknown-key']);
    // Two VMs share the mistake: one message each, both at the anchor.
    expect(parse(text).diagnostics.map((d) => d.message)).toEqual([
      'VM "vm1": unknown key "cpu" (did you mean "cpus"?)',
      'VM "vm2": unknown key "cpu" (did you mean "cpus"?)',
    ]);
  });

  it('warns about the same fixed sshPort only on the same host', () => {
    const text = lines(
      'hosts: { b: { address: x } }',
      'vms:',
      '  vm1: { sshPort: 2222 }',
      '  vm2: { sshPort: 2222, host: b }',
      '  vm3: { sshPort: 2222 }',
    );
    expect(summary(text)).toEqual(['5:19 warning duplicate-ssh-port']);
    expect(parse(text).diagnostics[0]?.message).toContain('also the sshPort of VM "vm1" on host "local"');
  });

  it('does not cascade: an entry that is not a mapping still counts as defined', () => {
    const text = lines('vms:', '  vm1: 3', 'experiments:', '  e: { vm: vm1 }');
    expect(summary(text)).toEqual(['2:8 error not-a-mapping']);
    expect(parse(text).lab?.experiments.size).toBe(0);
  });

  it('reads a host QEMU as a version or a path', () => {
    const { lab: model } = parse(lines('hosts:', '  local: { qemu: "11.1" }', '  b: { address: x, qemu: /opt/q/qemu-system-x86_64 }', '  c: { address: y }'));
    expect(model?.hosts.get('local')?.qemu).toEqual({ kind: 'version', version: '11.1' });
    expect(model?.hosts.get('b')?.qemu).toEqual({ kind: 'path', path: '/opt/q/qemu-system-x86_64' });
    expect(model?.hosts.get('c')?.qemu).toBeUndefined();
  });

  it('keeps host local even when only other hosts are written, first in order', () => {
    const lab = parse(lines('hosts:', '  b: { address: x }')).lab;
    expect([...(lab?.hosts.keys() ?? [])]).toEqual(['local', 'b']);
  });

  it('does not build a migration to the VM\'s own host, or anything naming undefined entries', () => {
    const text = lines('vms: { vm1: {} }', 'migrations:', '  m: { vm: vm1, to: local }', '  n: { vm: vm2, to: local }');
    const result = parse(text);
    expect(summary(text)).toEqual(['3:21 error same-host', '4:12 error undefined-vm']);
    expect(result.lab?.migrations.size).toBe(0);
  });

  it('builds a same-host migration with its during benchmarks when sameHost says so', () => {
    const m = parse(lines('vms: { vm1: {} }', 'migrations:', '  m: { vm: vm1, to: local, sameHost: true, during: [iperf3@guest], duringSeconds: 8 }')).lab?.migrations.get('m');
    expect(m).toMatchObject({ vm: 'vm1', to: 'local', sameHost: true, during: ['iperf3@guest'], duringSeconds: 8 });
    expect(parse(lines('vms: { vm1: {} }', 'hosts: { b: { address: x } }', 'migrations:', '  m: { vm: vm1, to: b }')).lab?.migrations.get('m')).toMatchObject({ sameHost: false, during: [], duringSeconds: 20 });
  });
});
