import { chmod, chown, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateTrustError } from '../../../extension/core/infrastructure/files/private-state';
import { runProgram } from '../../../extension/core/infrastructure/hosts/system/run-program';
import { openSshArgv } from '../../../extension/core/infrastructure/hosts/transports/round-trip';
import { LocalHostSystem, RemoteHostSystem, type HostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
import { LocalTransport } from '../../../extension/core/infrastructure/hosts/transports/local-transport';
import { sshCommandArgv } from '../../../extension/core/machines/guest-access/guest-ssh';
import { QemuDirectBackend } from '../../../extension/core/machines/vm/qemu-direct-backend';
import { runFilesIn, vmRunDir } from '../../../extension/core/machines/vm/run-dir';
import { parseVmRecord, type GuestSshEndpoint, type VmRecord } from '../../../extension/core/machines/vm/vm-record';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qemu-lab-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const transport = new LocalTransport();
afterAll(() => transport.dispose());

const labPath = '/lab/qemu-lab.yaml';

/** A record as `up` writes it, for the run directory `runDir`. */
function recordIn(runDir: string, host = 'local'): VmRecord {
  const { record: _record, ...files } = runFilesIn(runDir, { vnc: false });
  return {
    version: 1,
    labPath,
    vmName: 'vm1',
    host,
    qemuBinary: 'qemu-system-x86_64',
    argv: ['-name', 'vm1'],
    accel: 'tcg',
    accelWhy: 'accel: tcg in the lab file',
    nic: 'virtio',
    network: 'user',
    ssh: { host: '127.0.0.1', port: 2222, user: 'root', privateKey: '/cache/guest/id_ed25519', knownHostsFile: '/cache/guest/known_hosts', hostKeyAlias: 'qemu-lab-guest' },
    forwardedPorts: { '5201': 40001 },
    files,
    readyMarker: 'QEMU-LAB-READY',
    startedAt: '2026-12-01T00:00:00.000Z',
  };
}

/** ssh, run for real with `argv`: did anything it was told to run by a record value run? */
async function sshRunsNothing(argv: readonly string[], marker: string): Promise<void> {
  await runProgram('ssh', argv, { check: false, timeoutMs: 60_000 });
  expect(await readdir(dir)).not.toContain(marker);
}

describe('a vm.json whose ssh.user is an option (reproduced: ProxyCommand ran as the user)', () => {
  const hostile = (field: 'user' | 'host'): GuestSshEndpoint => ({
    ...(recordIn('/run').ssh as GuestSshEndpoint),
    port: 1,
    [field]: `-oProxyCommand=touch ${dir}/pwned-${field}`,
  });

  it('is refused when read back: the record check names the field', () => {
    const runDir = join(dir, 'run');
    const record = recordIn(runDir);
    const read = (changed: object): (() => unknown) => () => parseVmRecord(JSON.stringify({ ...record, ...changed }), { where: join(runDir, 'vm.json'), runDir });
    expect(read({})()).toEqual(record);
    expect(read({ ssh: { ...record.ssh, user: '-oProxyCommand=touch /tmp/x' } })).toThrow(/ssh\.user "-oProxyCommand=touch \/tmp\/x" is not a user name/);
    expect(read({ ssh: { ...record.ssh, host: '-oKnownHostsCommand=id' } })).toThrow(/ssh\.host .* starts with "-"/);
    expect(read({ ssh: { ...record.ssh, host: 'a,*' } })).toThrow(StateTrustError);
    expect(read({ ssh: { ...record.ssh, port: '22 -oX' } })).toThrow(/ssh\.port is not a whole number/);
    expect(read({ ssh: { ...record.ssh, port: 22.5 } })).toThrow(/ssh\.port/);
    expect(read({ files: { ...record.files, pidFile: '/etc/passwd' } })).toThrow(/files\.pidFile "\/etc\/passwd" is not a file of its run directory/);
    expect(read({ files: { ...record.files, qmpSocket: `${runDir}/../other/qmp.sock` } })).toThrow(/files\.qmpSocket/);
    expect(read({ movedTo: { host: '../../x', at: 'now' } })).toThrow(/movedTo\.host/);
    expect(read({ forwardedPorts: { '5201': -1 } })).toThrow(/forwardedPorts\.5201/);
    expect(read({ vmName: '-x' })).toThrow(/vmName/);
    expect(read({ ssh: { ...record.ssh, hostKeyCheck: 'first-use' } })()).toMatchObject({ ssh: { hostKeyCheck: 'first-use' } });
    expect(read({ ssh: { ...record.ssh, hostKeyCheck: 'no' } })).toThrow(/ssh\.hostKeyCheck "no" is not a host-key check/);
    // An adopted domain's name reaches virsh's argv: held to the names the lab file accepts.
    expect(read({ domain: 'users-web' })()).toMatchObject({ domain: 'users-web' });
    expect(read({ domain: '--all' })).toThrow(/domain "--all" is not a libvirt domain name/);
    expect(read({ domain: 'a b' })).toThrow(/domain/);
  });

  it('and had it been read, ssh would not run it: every value is its own argument, the host after --', async () => {
    await sshRunsNothing(sshCommandArgv(hostile('user'), ['true']), 'pwned-user');
    await sshRunsNothing(sshCommandArgv(hostile('host'), ['true']), 'pwned-host');
    await sshRunsNothing(openSshArgv({ host: `-oProxyCommand=touch ${dir}/pwned-lab`, port: 1 }, ['true']), 'pwned-lab');
    await sshRunsNothing(openSshArgv({ host: '127.0.0.1', user: `-oProxyCommand=touch ${dir}/pwned-lab-user`, port: 1 }, ['true']), 'pwned-lab-user');
  });
});

describe('a state directory or record someone else could have written', () => {
  const systems: readonly { name: string; system: () => HostSystem; host: string }[] = [
    { name: 'on this machine', system: () => new LocalHostSystem(), host: 'local' },
    { name: 'on a remote host (checked over its connection)', system: () => new RemoteHostSystem('b', transport), host: 'b' },
  ];

  for (const { name, system, host } of systems) {
    describe(name, () => {
      let runDir: string;
      let backend: QemuDirectBackend;
      const key = (): { labPath: string; vmName: string; host: string } => ({ labPath, vmName: 'vm1', host });
      beforeEach(async () => {
        const root = join(dir, 'state');
        runDir = vmRunDir(root, labPath, host, 'vm1');
        await mkdir(runDir, { recursive: true, mode: 0o700 });
        await writeFile(join(runDir, 'vm.json'), JSON.stringify(recordIn(runDir, host)), { mode: 0o600 });
        backend = new QemuDirectBackend({ systemFor: () => system(), localStateRoot: root, remoteStateRoot: root });
      });

      it('reads a record that is all the user\'s own', async () => {
        expect((await backend.findAt(key()))?.record.vmName).toBe('vm1');
      });

      it('refuses a run directory others may write, saying chmod 700', async () => {
        await chmod(runDir, 0o777);
        await expect(backend.findAt(key())).rejects.toThrow(StateTrustError);
        await expect(backend.findAt(key())).rejects.toMatchObject({ message: expect.stringMatching(/group or others may write it \(mode 777\)/), hint: expect.stringContaining(`chmod 700 ${runDir}`) });
      });

      it('refuses a state directory others may write', async () => {
        await chmod(join(dir, 'state'), 0o775);
        await expect(backend.findAt(key())).rejects.toMatchObject({ hint: expect.stringContaining(`chmod 700 ${join(dir, 'state')}`) });
      });

      it('refuses a record another user owns, saying how to take it', async () => {
        await chown(join(runDir, 'vm.json'), 65534, 65534);
        await expect(backend.findAt(key())).rejects.toMatchObject({ message: expect.stringMatching(/belongs to user id 65534/), hint: expect.stringMatching(/chown \d+ /) });
      });

      it('refuses a record that is a symbolic link', async () => {
        await writeFile(join(dir, 'elsewhere.json'), JSON.stringify(recordIn(runDir, host)), { mode: 0o600 });
        await rm(join(runDir, 'vm.json'));
        await symlink(join(dir, 'elsewhere.json'), join(runDir, 'vm.json'));
        await expect(backend.findAt(key())).rejects.toThrow(/symbolic link/);
      });

      it('refuses a hostile record it reads', async () => {
        await writeFile(join(runDir, 'vm.json'), JSON.stringify({ ...recordIn(runDir, host), ssh: { ...recordIn(runDir, host).ssh, user: '-oProxyCommand=touch /tmp/x' } }), { mode: 0o600 });
        await expect(backend.findAt(key())).rejects.toThrow(/ssh\.user/);
      });
    });
  }
});

describe('state directories QEMU Lab makes', () => {
  it('are private all the way down on a remote host, whatever the umask there (002 on many desktops)', async () => {
    const before = process.umask(0o002);
    try {
      await new RemoteHostSystem('b', transport).makePrivateDirectory(join(dir, 'state', 'vms', 'run'));
    } finally {
      process.umask(before);
    }
    for (const path of [join(dir, 'state'), join(dir, 'state', 'vms'), join(dir, 'state', 'vms', 'run')]) expect((await stat(path)).mode & 0o777, path).toBe(0o700);
  });
});
