import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW_QEMU_ENV } from '../../support/new-qemu';
import { createRemoteLab, type RemoteLab } from '../../support/netns/remote-lab';

// The same install and selection steps over SSH, on a network-namespace host with a real sshd
// (it shares this machine's files, so the QEMU the global set-up installed is in its cache too):
// qemu list and qemu install --host run there through the lab's connection, and the host's
// qemu: setting is resolved there. Building a root there is not tried: a namespace host cannot
// reach the package mirror.
let remote: RemoteLab;
const newQemu = process.env[NEW_QEMU_ENV] ?? '';
let version = '';

beforeAll(() => {
  expect(newQemu).not.toBe('');
  version = /QEMU emulator version (\d+\.\d+\.\d+)/.exec(execFileSync(newQemu, ['--version'], { encoding: 'utf8' }))?.[1] ?? '';
  const [major, minor] = version.split('.');
  remote = createRemoteLab('remote-qemu', { hosts: 1 });
  remote.writeLab(['hosts:', ...remote.hostLines(['lab-b']).map((line) => line.replace(/ }$/, `, qemu: "${major}.${minor}" }`))]);
}, 120_000);

afterAll(() => {
  remote?.hosts.destroy();
});

describe('QEMUs of an SSH host', () => {
  it('qemu list shows its system QEMU and the installed one, found over SSH', async () => {
    remote.hosts.assertAlive();
    const run = await remote.cli('--json', 'qemu', 'list');
    expect(run.code, run.stderr).toBe(0);
    const hosts = JSON.parse(run.stdout) as { host: string; system: { version?: { major: number } }; installed: { binary: string; record: { version: string } }[] }[];
    const labB = hosts.find((h) => h.host === 'lab-b');
    expect(labB?.system.version?.major).toBe(7);
    expect(labB?.installed.map((i) => [i.record.version, i.binary])).toContainEqual([version, newQemu]);
  });

  it('qemu install --host reuses the working install there', async () => {
    remote.hosts.assertAlive();
    const run = await remote.cli('--json', 'qemu', 'install', version, '--host', 'lab-b');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ host: 'lab-b', reused: true, version, binary: newQemu });
  });

  it("hosts probes the QEMU the host's qemu: setting names there", async () => {
    remote.hosts.assertAlive();
    const run = await remote.cli('--json', 'hosts');
    expect(run.code, run.stderr).toBe(0);
    const probes = JSON.parse(run.stdout) as { host: string; qemu: { path: string; version: { text: string } } }[];
    const labB = probes.find((p) => p.host === 'lab-b');
    expect(labB?.qemu.path).toBe(newQemu);
    expect(labB?.qemu.version.text).toContain(`version ${version}`);
  });
});
