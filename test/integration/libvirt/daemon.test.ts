import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLibvirtDaemon, type LibvirtDaemon } from '../../support/libvirt/libvirt-daemon';
import { createNetnsHosts, type NetnsHosts } from '../../support/netns/netns-hosts';

// The test support's libvirt daemons themselves: one on this machine, one inside a namespace
// host, each with its own directories; stopping one ends exactly its processes.
let hosts: NetnsHosts;
const daemons: LibvirtDaemon[] = [];

beforeAll(() => {
  hosts = createNetnsHosts({ hosts: 1 });
});

afterAll(() => {
  for (const daemon of daemons) daemon.stop();
  hosts?.destroy();
});

function namespacePids(initPid: number): number[] {
  // Every process whose PID namespace is the daemon's: the same /proc/PID/ns/pid link as its init.
  const ns = execFileSync('readlink', [`/proc/${initPid}/ns/pid`], { encoding: 'utf8' }).trim();
  const out = execFileSync('sh', ['-c', `for p in /proc/[0-9]*; do [ "$(readlink $p/ns/pid 2>/dev/null)" = '${ns}' ] && echo \${p#/proc/}; done; true`], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map(Number);
}

function processName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

it('starts libvirtd here and in a namespace host, each answering on its own socket, and stops exactly its own', async () => {
  const host = hosts.hosts[0];
  if (host === undefined) throw new Error('no namespace host');
  const local = await startLibvirtDaemon({ name: 'local' });
  daemons.push(local);
  hosts.assertAlive();
  const remote = await startLibvirtDaemon({ name: 'h1', host });
  daemons.push(remote);
  expect(local.socket).not.toBe(remote.socket);

  const version = execFileSync('virsh', ['-c', local.uri, 'version'], { encoding: 'utf8' });
  expect(version).toMatch(/Running hypervisor: QEMU \d+\.\d+/);
  // The namespace daemon answers from inside its host (its network is the namespace's).
  expect(hosts.exec(host, ['virsh', '-c', remote.uri, '--quiet', 'list', '--all'])).toBe('');
  const localNames = namespacePids(local.initPid).map(processName);
  expect(localNames).toEqual(expect.arrayContaining(['libvirtd', 'virtlogd']));
  expect(namespacePids(remote.initPid).map(processName)).toEqual(expect.arrayContaining(['libvirtd', 'virtlogd']));

  const localPids = namespacePids(local.initPid);
  local.stop();
  expect(localPids.filter((pid) => processName(pid) !== '')).toEqual([]);
  // The other daemon is untouched.
  expect(hosts.exec(host, ['virsh', '-c', remote.uri, '--quiet', 'list', '--all'])).toBe('');
  remote.stop();
});
