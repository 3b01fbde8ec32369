import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLabText } from '../../../extension/core/lab/parse';
import { buildGuest } from '../../../extension/core/machines/guest-image/build';
import { guestKernelCommandLine } from '../../../extension/core/machines/guest-image/kernel-command-line';
import { startLibvirtDaemon, type LibvirtDaemon } from '../../support/libvirt/libvirt-daemon';
import { runCliProcess } from '../../support/run-cli';

// A domain the user made with plain `virsh define` (the built-in guest's kernel, user networking
// with its SSH forwarded to a loopback port through <qemu:commandline>, the `pc` machine: on q35
// that NIC without an address collides with libvirt's pcie-root-port), adopted into a lab by the
// real CLI: `adopt`, `up` (SSH runs a command), `status`, refusals, `down`. One daemon, one boot.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const labDir = join(root, 'adopt-lab');
const lab = join(labDir, 'qemu-lab.yaml');
const DOMAIN = 'users-web';
let daemon: LibvirtDaemon;
let sshPort = 0;
let identity = '';
let definedXml = '';
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir });
const virsh = (...args: string[]): string => execFileSync('virsh', ['-c', daemon.uri, '--quiet', ...args], { encoding: 'utf8' });
const state = (): string => virsh('domstate', DOMAIN).trim();

/** A free TCP port on 127.0.0.1 (the guest's SSH is forwarded from it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  daemon = await startLibvirtDaemon({ name: 'adopt' });
  mkdirSync(labDir, { recursive: true });
  const guest = await buildGuest({ env: process.env });
  identity = guest.sshPrivateKey;
  sshPort = await freePort();
  const xml = join(labDir, 'users-web.xml');
  writeFileSync(
    xml,
    [
      "<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>",
      `  <name>${DOMAIN}</name>`,
      "  <memory unit='MiB'>256</memory>",
      '  <vcpu>1</vcpu>',
      "  <os><type arch='x86_64' machine='pc'>hvm</type>",
      `    <kernel>${guest.vmlinux ?? guest.kernel}</kernel><initrd>${guest.initrd}</initrd>`,
      `    <cmdline>${guestKernelCommandLine({ hostname: 'users-web' })}</cmdline></os>`,
      '  <features><acpi/></features>',
      "  <on_poweroff>destroy</on_poweroff><on_crash>destroy</on_crash>",
      "  <devices><serial type='pty'/><controller type='usb' model='none'/><memballoon model='none'/></devices>",
      '  <qemu:commandline>',
      "    <qemu:arg value='-netdev'/>",
      `    <qemu:arg value='user,id=n0,hostfwd=tcp:127.0.0.1:${sshPort}-:22'/>`,
      "    <qemu:arg value='-device'/>",
      "    <qemu:arg value='virtio-net-pci,netdev=n0'/>",
      '  </qemu:commandline>',
      '</domain>',
      '',
    ].join('\n'),
  );
  virsh('define', xml);
  definedXml = virsh('dumpxml', '--inactive', DOMAIN);
  writeFileSync(
    lab,
    [
      '# A lab on the rack',
      'hosts:',
      `  lv: { kind: libvirt, uri: "${daemon.uri}" }   # the test daemon`,
      `  lv2: { kind: libvirt, uri: "${daemon.uri}" }`,
      'vms: {}',
      '',
    ].join('\n'),
  );
}, 300_000);

afterAll(() => {
  if (daemon === undefined) return;
  try {
    if (state() !== 'shut off') virsh('destroy', DOMAIN);
  } catch {
    // The daemon's stop ends it anyway.
  }
  daemon.stop();
});

describe('an existing libvirt domain adopted into a lab', () => {
  it('qemu-lab adopt writes the VM into the lab file, keeping its comments, and refuses the name twice', async () => {
    const run = await cli('adopt', 'lv', DOMAIN, '--address', '127.0.0.1', '--ssh-port', String(sshPort), '--identity', identity, '--name', 'web');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Added VM web (adopts domain "users-web" on host lv)');
    const text = readFileSync(lab, 'utf8');
    expect(text).toContain('# A lab on the rack\n');
    expect(text).toContain('# the test daemon');
    expect(text).toContain(`web: { host: lv, domain: "users-web", address: 127.0.0.1, sshPort: ${sshPort}, identity: ${identity} }`);
    const again = await cli('adopt', 'lv', DOMAIN, '--name', 'web');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('The lab file has a VM "web" already');
    const missing = await cli('adopt', 'lv', 'no-such-domain', '--address', '10.0.0.9');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('libvirt on host "lv" has no domain "no-such-domain"');
  });

  it('shows its state from libvirt by the domain name before any up', async () => {
    const status = await cli('--json', 'status');
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject([{ vm: 'web', host: 'lv', state: 'stopped', reason: expect.stringContaining('shut off') as unknown }]);
  });

  it('up starts the domain without defining anything, and SSH at its address runs a command', async () => {
    const run = await cli('up', 'web', '--exec', 'uname -n; echo adopted-ok');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^users-web$/m);
    expect(run.stdout).toMatch(/^adopted-ok$/m);
    expect(state()).toBe('running');
    expect(virsh('list', '--all', '--name').trim().split('\n')).toEqual([DOMAIN]);
    const status = await cli('--json', 'status');
    expect(JSON.parse(status.stdout)).toMatchObject([{ vm: 'web', state: 'running', accel: 'tcg', ssh: { host: '127.0.0.1', port: sshPort } }]);
    const ssh = await cli('ssh', 'web', '--', 'echo', 'still-here');
    expect(ssh.code, ssh.stderr).toBe(0);
    expect(ssh.stdout).toContain('still-here');
    // Never tainted by a monitor command of QEMU Lab's.
    expect(virsh('dominfo', DOMAIN)).not.toContain('custom monitor control commands');
  });

  it('adopt without --address asks libvirt (virsh domifaddr); a domain on no libvirt network has none, so the VM is added without one', async () => {
    const other = join(labDir, 'other.qemu-lab.yaml');
    writeFileSync(other, ['hosts:', `  lv: { kind: libvirt, uri: "${daemon.uri}" }`, 'vms:', '  # none yet', ''].join('\n'));
    const run = await runCliProcess(['-f', other, 'adopt', 'lv', DOMAIN], { cwd: labDir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('libvirt knows no address of "users-web"');
    const written = readFileSync(other, 'utf8');
    expect(written).toContain('  # none yet\n');
    const parsed = parseLabText(written, other);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['missing-key']);
    expect(parsed.lab?.vms.get('users-web')).toMatchObject({ host: 'lv', adopted: { domain: DOMAIN, address: undefined } });
  });

  it('refuses a migration and monitor commands, naming virsh, and the domain keeps running', async () => {
    const migrate = await cli('migrate', 'web', '--to', 'lv2');
    expect(migrate.code).not.toBe(0);
    expect(migrate.stderr).toContain('adopts the libvirt domain "users-web"');
    expect(migrate.stderr).toContain('virsh migrate --live users-web');
    const qmp = await cli('qmp', 'web', 'query-status');
    expect(qmp.code).not.toBe(0);
    expect(qmp.stderr).toContain('virsh qemu-monitor-command users-web');
    expect(state()).toBe('running');
    expect(virsh('dominfo', DOMAIN)).not.toContain('custom monitor control commands');
  });

  it('runs an experiment over SSH; its records say the VM is adopted, with vCPUs and memory from virsh dominfo, and it stays running', async () => {
    appendFileSync(lab, 'experiments:\n  cpu: { vm: web, benchmarks: [sysbench-cpu], repetitions: 1, duration: 2s }\n');
    const run = await cli('--json', 'bench', 'cpu');
    expect(run.code, run.stderr).toBe(0);
    const records = readFileSync(join(labDir, '.qemu-lab', 'results', 'results.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      expect(record).toMatchObject({ benchmark: 'sysbench-cpu', target: 'guest', metadata: { accel: 'tcg', guest: { vm: 'web', adoptedDomain: DOMAIN, cpus: 1, memoryBytes: 256 * 1024 ** 2 } } });
    }
    expect(state()).toBe('running');
  });

  it('down shuts it down; the domain stays defined, its XML unchanged', async () => {
    const down = await cli('down', 'web');
    expect(down.code, down.stderr).toBe(0);
    expect(state()).toBe('shut off');
    expect(virsh('list', '--all', '--name').trim().split('\n')).toEqual([DOMAIN]);
    expect(virsh('dumpxml', '--inactive', DOMAIN)).toBe(definedXml);
    const status = await cli('--json', 'status');
    expect(JSON.parse(status.stdout)).toMatchObject([{ vm: 'web', state: 'stopped' }]);
  });
});

describe('qemu-lab adopt on a host whose domain libvirt knows an address of', () => {
  it('prints the address virsh domifaddr reports and writes the only one (libvirt\'s test driver, no daemon)', async () => {
    const dir = join(root, 'adopt-test-driver');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'qemu-lab.yaml');
    writeFileSync(file, 'hosts:\n  t: { kind: libvirt, uri: "test:///default" }\nvms:\n  vm1: { memory: 256M }   # a lab VM\n');
    const run = await runCliProcess(['-f', file, 'adopt', 't', 'test', '--identity', 'keys/id'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('Addresses of "test" (virsh domifaddr):\n  192.168.122.3/24 on testnet0\n');
    expect(readFileSync(file, 'utf8')).toBe('hosts:\n  t: { kind: libvirt, uri: "test:///default" }\nvms:\n  vm1: { memory: 256M }   # a lab VM\n  test: { host: t, domain: "test", address: 192.168.122.3, identity: keys/id }\n');
  });
});
