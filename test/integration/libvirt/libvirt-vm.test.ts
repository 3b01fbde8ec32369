import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostPool } from '../../../extension/core/infrastructure/hosts/host-pool';
import { libvirtUriOf } from '../../../extension/core/infrastructure/hosts/host-reach';
import { labHostSystems } from '../../../extension/core/infrastructure/hosts/lab-hosts';
import { domainName } from '../../../extension/core/infrastructure/libvirt/domain-xml';
import { parseLabText } from '../../../extension/core/lab/parse';
import { vmDiskPath } from '../../../extension/core/machines/disk-guest/overlay';
import { vmDependencies } from '../../../extension/core/machines/vm/vm-dependencies';
import { VmRegistry, type KnownVm } from '../../../extension/core/machines/vm/vm-registry';
import { fileSha256 } from '../../support/file-sha256';
import { startLibvirtDaemon, type LibvirtDaemon } from '../../support/libvirt/libvirt-daemon';
import { runCliProcess } from '../../support/run-cli';

// The built-in guest on a `kind: libvirt` host: a real libvirtd (the test support's, on its own
// socket), driven by the real CLI. One boot, shared by every check in order. Then a disk guest on
// the same libvirtd (a lab file of its own, so the checks above see only theirs).
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const labDir = join(root, 'libvirt-lab');
const lab = join(labDir, 'qemu-lab.yaml');
let daemon: LibvirtDaemon;
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir });
const virsh = (...args: string[]): string => execFileSync('virsh', ['-c', daemon.uri, '--quiet', ...args], { encoding: 'utf8' });
const name = (): string => domainName({ labPath: lab, vmName: 'vm1', host: 'lv' });

// The disk guests' Debian 12 image (global-setup builds and caches it), as a user brings one.
const image = process.env.QEMU_LAB_TEST_DISK_IMAGE ?? '';
const diskLabDir = join(root, 'libvirt-disk-lab');
const diskLab = join(diskLabDir, 'qemu-lab.yaml');
const diskCli = (...args: string[]) => runCliProcess(['-f', diskLab, ...args], { cwd: diskLabDir });
/** A distribution under TCG on a busy machine: systemd and cloud-init emulated, minutes per boot. */
const DISK_BOOT_S = 1200;

/** The `<disk>` elements of a domain's live XML, each as its text. */
const disksOf = (xml: string): string[] => [...xml.matchAll(/<disk type='file' device='disk'>[\s\S]*?\n {4}<\/disk>/g)].map((m) => m[0]);

beforeAll(async () => {
  daemon = await startLibvirtDaemon({ name: 'vm' });
  mkdirSync(labDir, { recursive: true });

  // A domain of the user's own, never started: the lab lists it and never touches it.
  const own = join(labDir, 'users-own.xml');
  writeFileSync(own, "<domain type='qemu'><name>users-own</name><memory unit='MiB'>64</memory><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>\n");
  virsh('define', own);
  writeFileSync(lab, ['hosts:', `  lv: { kind: libvirt, uri: "${daemon.uri}" }`, 'vms:', '  vm1: { host: lv, memory: 512M, accel: tcg }', ''].join('\n'));
}, 180_000);

afterAll(async () => {
  if (daemon === undefined) return;
  await cli('kill', 'vm1').catch(() => undefined);
  await diskCli('kill', 'deb').catch(() => undefined);
  daemon.stop();
});

describe('a VM on a libvirt host', () => {
  it('boots the lab guest as a libvirt domain, and SSH answers', async () => {
    const run = await cli('up', 'vm1', '--exec', 'uname -n; cat /proc/cmdline');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/vm1 is running on lv .*tcg, virtio/);
    expect(run.stdout).toMatch(/^vm1$/m);
    expect(run.stdout).toMatch(/qemulab\.hostname=vm1/);
    // libvirt knows it by the tool's name, with the tool's metadata.
    expect(virsh('list', '--name').trim().split('\n')).toContain(name());
    expect(virsh('metadata', name(), '--uri', 'urn:x-qemu-lab:libvirt-domain:1')).toContain(`<lab>${lab}</lab>`);
  });

  it('shows its status from libvirt and QMP through the monitor passthrough', async () => {
    const status = await cli('--json', 'status');
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject([{ vm: 'vm1', host: 'lv', state: 'running', accel: 'tcg' }]);
    const qmp = await cli('qmp', 'vm1', 'query-name');
    expect(qmp.code, qmp.stderr).toBe(0);
    expect(JSON.parse(qmp.stdout)).toEqual({ name: name() });
  });

  it("is followed by the editor's registry: its state is read from libvirt at each refresh", async () => {
    const parsed = parseLabText(readFileSync(lab, 'utf8'), lab).lab;
    if (parsed === undefined) throw new Error('lab did not parse');
    const pool = new HostPool();
    const changes: KnownVm[] = [];
    const deps = vmDependencies({ env: process.env, stateRoot: process.env.QEMU_LAB_STATE_DIR ?? '', systemFor: labHostSystems(parsed, pool), libvirtUriFor: (host) => libvirtUriOf(parsed.hosts.get(host)) });
    const registry = new VmRegistry(deps.backend, (vm) => changes.push(vm));
    try {
      await registry.refreshOne({ labPath: lab, vmName: 'vm1', host: 'lv' });
      expect(changes.at(-1)).toMatchObject({ state: 'running', record: { vmName: 'vm1', host: 'lv' } });
    } finally {
      await registry.dispose();
      await pool.dispose();
    }
  });

  it("lists the host's domains, the lab VM and the user's own, read-only", async () => {
    const run = await cli('hosts');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^lv\n {2}QEMU/m);
    expect(run.stdout).toContain('  domains  2\n');
    expect(run.stdout).toMatch(new RegExp(`^ {4}${name()} {2}running, 1 vCPU, 512 MiB, 1 NIC, 0 disks \\(a lab VM\\)$`, 'm'));
    expect(run.stdout).toMatch(/^ {4}users-own {2}shut off, 1 vCPU, 64 MiB, 0 NICs, 0 disks$/m);
  });

  it('refuses a migration to a host where QEMU Lab runs QEMU itself, saying why, and the VM keeps running', async () => {
    const run = await cli('migrate', 'vm1', '--to', 'local');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('cannot migrate between libvirt host "lv" and "local"');
    expect(virsh('domstate', name()).trim()).toBe('running');
  });

  it('pauses and resumes through libvirt', async () => {
    const pause = await cli('pause', 'vm1');
    expect(pause.code, pause.stderr).toBe(0);
    expect(virsh('domstate', name()).trim()).toBe('paused');
    const status = await cli('--json', 'status');
    expect(JSON.parse(status.stdout)).toMatchObject([{ vm: 'vm1', state: 'paused' }]);
    const resume = await cli('resume', 'vm1');
    expect(resume.code, resume.stderr).toBe(0);
    expect(virsh('domstate', name()).trim()).toBe('running');
    const ssh = await cli('ssh', 'vm1', '--', 'echo', 'still-here');
    expect(ssh.code, ssh.stderr).toBe(0);
    expect(ssh.stdout).toContain('still-here');
  });

  it("powers down through libvirt (ACPI) and leaves no domain behind, the user's own untouched", async () => {
    const down = await cli('down', 'vm1');
    expect(down.code, down.stderr).toBe(0);
    expect(virsh('list', '--all', '--name').trim()).toBe('users-own');
    const status = await cli('--json', 'status');
    expect(JSON.parse(status.stdout)).toMatchObject([{ vm: 'vm1', state: 'stopped' }]);
  });
});

describe('a disk guest on a libvirt host', () => {
  it(
    'boots its own overlay with the cloud-init seed, never the image; what it writes survives a power-off and the next boot; the image is unchanged',
    async () => {
      expect(existsSync(image), `the test disk image (QEMU_LAB_TEST_DISK_IMAGE=${image}) is built by global-setup`).toBe(true);
      mkdirSync(diskLabDir, { recursive: true });
      writeFileSync(diskLab, ['hosts:', `  lv: { kind: libvirt, uri: "${daemon.uri}" }`, 'vms:', `  deb: { host: lv, image: ${JSON.stringify(image)}, memory: 1G, accel: tcg }`, ''].join('\n'));
      const baseSum = await fileSha256(image);
      const deb = domainName({ labPath: diskLab, vmName: 'deb', host: 'lv' });
      const overlay = vmDiskPath(process.env.QEMU_LAB_STATE_DIR ?? '', diskLab, 'lv', 'deb');

      // First boot: cloud-init read the seed (hostname, the lab's user and key), so SSH answers.
      const first = await diskCli('up', 'deb', '--timeout', String(DISK_BOOT_S), '--exec', 'hostname; id -un; echo written-on-libvirt > $HOME/marker && sync && echo written');
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout.trim().split('\n').slice(-3)).toEqual(['deb', 'lab', 'written']);

      // libvirt's own view of the running domain: the overlay is the disk, the image only its
      // backing file (libvirt read the chain from the overlay's header), the seed read-only.
      const [disk = '', seed = '', ...more] = disksOf(virsh('dumpxml', deb));
      expect(more).toEqual([]);
      expect(disk).toMatch(new RegExp(`<source file='${overlay}'[ />]`));
      expect(disk).not.toContain('<readonly/>');
      expect(disk).toMatch(new RegExp(`<backingStore type='file'[^>]*>\\s*<format type='qcow2'/>\\s*<source file='${image}'`));
      expect(seed).toMatch(/<source file='[^']*\/seeds\/deb\.iso'/);
      expect(seed).toContain('<readonly/>');

      // Powered off (the test image has no logind to act on the ACPI button, so --force ends the
      // domain after the wait, as the disk-guest tests do; the marker was synced): no domain is
      // left, and the overlay stays.
      const down = await diskCli('down', 'deb', '--force');
      expect(down.code, down.stderr).toBe(0);
      expect(virsh('list', '--all', '--name')).not.toContain(deb);
      expect(existsSync(overlay)).toBe(true);

      // The next boot is the same disk: the marker is there.
      const second = await diskCli('up', 'deb', '--timeout', String(DISK_BOOT_S), '--exec', 'cat $HOME/marker');
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout.trim().split('\n').at(-1)).toBe('written-on-libvirt');
      const again = await diskCli('down', 'deb', '--force');
      expect(again.code, again.stderr).toBe(0);
      expect(await fileSha256(image)).toBe(baseSum);
    },
    (2 * DISK_BOOT_S + 2 * 60) * 1000,
  );
});
