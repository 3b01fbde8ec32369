import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messages, parse, summary } from './helpers';

const lines = (...text: string[]): string => text.join('\n') + '\n';
const HOSTS = ['hosts:', '  lv: { kind: libvirt, uri: "qemu:///system" }', '  b: { kind: ssh, address: 10.0.0.2 }'];

describe('a VM that adopts a libvirt domain (domain:)', () => {
  it('reads the domain, address, port, user and identity into the model', () => {
    const result = parse(lines(...HOSTS, 'vms:', '  web: { host: lv, domain: web-prod, address: 192.168.122.50, sshPort: 2222, user: debian, identity: keys/web }'));
    expect(result.diagnostics).toEqual([]);
    const vm = result.lab?.vms.get('web');
    expect(vm?.adopted).toEqual({ domain: 'web-prod', address: '192.168.122.50', sshPort: 2222, user: 'debian', identity: 'keys/web' });
    expect(vm?.host).toBe('lv');
  });

  it('defaults the user to root and the SSH port to 22', () => {
    const result = parse(lines(...HOSTS, 'vms:', '  web: { host: lv, domain: web, address: 10.1.2.3, identity: k }'));
    expect(result.diagnostics).toEqual([]);
    expect(result.lab?.vms.get('web')?.adopted).toMatchObject({ user: 'root', sshPort: 22 });
  });

  it('warns that without address and identity it starts but cannot log in', () => {
    expect(summary(lines(...HOSTS, 'vms:', '  web: { host: lv, domain: web }'))).toEqual(['5:20 warning missing-key']);
    expect(messages(lines(...HOSTS, 'vms:', '  web: { host: lv, domain: web }'))[0]).toMatch(/without address .* and identity .*ssh and benchmarks refuse/);
  });

  it.each(['cpus: 2', 'memory: 2G', 'machine: pc', 'accel: kvm', 'nic: e1000', 'image: disk.qcow2', 'disk: 10G', 'extraArgs: [-S]', 'network: user', 'vnc: true', 'cloudInit: false', 'gateway: 10.0.0.1'])(
    'refuses %s, which would describe the domain, naming virsh edit',
    (pair) => {
      const text = lines(...HOSTS, 'vms:', `  web: { host: lv, domain: web-prod, address: 10.1.2.3, identity: k, ${pair} }`);
      const key = pair.split(':')[0] ?? '';
      const column = (text.split('\n')[4] ?? '').indexOf(`${key}:`) + 1;
      expect(summary(text)).toEqual([`5:${column} error adopted-domain-key`]);
      expect(messages(text)[0]).toBe(
        `VM "web": ${key} would describe the adopted domain, and the domain's definition is libvirt's: change it with \`virsh edit web-prod\` (or remove domain: to let the lab describe this VM)`,
      );
    },
  );

  it('refuses domain: on a host that is not a libvirt host, and on the default local host', () => {
    expect(summary(lines(...HOSTS, 'vms:', '  web: { host: b, domain: web, address: 10.1.2.3, identity: k }'))).toEqual(['5:16 error adopted-domain-host']);
    expect(messages(lines(...HOSTS, 'vms:', '  web: { host: b, domain: web, address: 10.1.2.3, identity: k }'))[0]).toMatch(/host "b", which is kind ssh; set host: to a kind: libvirt host/);
    expect(summary(lines(...HOSTS, 'vms:', '  web: { domain: web, address: 10.1.2.3, identity: k }'))).toEqual(['5:18 error adopted-domain-host']);
  });

  it('refuses a bad domain name, address and user', () => {
    expect(summary(lines(...HOSTS, 'vms:', '  web: { host: lv, domain: "-x", address: 10.1.2.3, identity: k }'))).toEqual(['5:28 error invalid-name']);
    expect(summary(lines(...HOSTS, 'vms:', '  web: { host: lv, domain: w, address: 10.1.2.3/24, identity: k }'))).toEqual(['5:40 error bad-address']);
    expect(summary(lines(...HOSTS, 'vms:', '  web: { host: lv, domain: w, address: 10.1.2.3, identity: k, user: Root }'))).toEqual(['5:69 error invalid-user']);
  });

  it('refuses a migration, an accel/nic matrix and fromSnapshot on it, naming libvirt\'s tool', () => {
    const text = lines(
      ...HOSTS,
      '  lv2: { kind: libvirt, uri: "qemu+ssh://root@10.0.0.9/system" }',
      'vms:',
      '  web: { host: lv, domain: web, address: 10.1.2.3, identity: k }',
      'experiments:',
      '  e: { vm: web, matrix: { accel: [kvm, tcg] }, fromSnapshot: s1 }',
      'migrations:',
      '  m: { vm: web, to: lv2 }',
    );
    expect(summary(text)).toEqual(['8:17 error adopted-domain-feature', '8:48 error adopted-domain-feature', '10:12 error adopted-domain-feature']);
    const [matrix, fromSnapshot, migration] = messages(text);
    expect(matrix).toMatch(/virsh edit web, then run the experiment once per setting/);
    expect(fromSnapshot).toMatch(/virsh snapshot-revert web NAME/);
    expect(migration).toMatch(/adopts the libvirt domain "web".*Use libvirt's own tool: virsh migrate --live web/);
  });

  it('lets an experiment without matrix or fromSnapshot run on it', () => {
    const result = parse(lines(...HOSTS, 'vms:', '  web: { host: lv, domain: web, address: 10.1.2.3, identity: k }', 'experiments:', '  e: { vm: web, benchmarks: [sysbench-cpu] }'));
    expect(result.diagnostics).toEqual([]);
    expect(result.lab?.experiments.get('e')?.vm).toBe('web');
  });

  it("reads the README's example without a problem", () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const start = readme.indexOf('### Adopting a domain you already have');
    const example = /```yaml\n([\s\S]*?)```/.exec(readme.slice(start))?.[1] ?? '';
    expect(example).toContain('domain: "web-prod"');
    const result = parse(example);
    expect(result.diagnostics).toEqual([]);
    expect(result.lab?.vms.get('web')?.adopted).toEqual({ domain: 'web-prod', address: '192.168.122.50', sshPort: 22, user: 'debian', identity: '~/.ssh/id_ed25519' });
  });
});
