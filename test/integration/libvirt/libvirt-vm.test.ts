import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostPool } from '../../../extension/core/infrastructure/hosts/host-pool';
import { libvirtUriOf } from '../../../extension/core/infrastructure/hosts/host-reach';
import { labHostSystems } from '../../../extension/core/infrastructure/hosts/lab-hosts';
import { domainName } from '../../../extension/core/infrastructure/libvirt/domain-xml';
import { parseLabText } from '../../../extension/core/lab/parse';
import { vmDependencies } from '../../../extension/core/machines/vm/vm-dependencies';
import { VmRegistry, type KnownVm } from '../../../extension/core/machines/vm/vm-registry';
import { startLibvirtDaemon, type LibvirtDaemon } from '../../support/libvirt/libvirt-daemon';
import { runCliProcess } from '../../support/run-cli';

// The built-in guest on a `kind: libvirt` host: a real libvirtd (the test support's, on its own
// socket), driven by the real CLI. One boot, shared by every check in order.
const root = process.env.QEMU_LAB_TEST_ROOT ?? '';
const labDir = join(root, 'libvirt-lab');
const lab = join(labDir, 'qemu-lab.yaml');
let daemon: LibvirtDaemon;
const cli = (...args: string[]) => runCliProcess(['-f', lab, ...args], { cwd: labDir });
const virsh = (...args: string[]): string => execFileSync('virsh', ['-c', daemon.uri, '--quiet', ...args], { encoding: 'utf8' });
const name = (): string => domainName({ labPath: lab, vmName: 'vm1', host: 'lv' });

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
