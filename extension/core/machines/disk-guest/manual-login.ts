/**
 * The SSH login of a disk guest without cloud-init (`cloudInit: false` or an installed system,
 * with `user:` + `identity:`): the user's own key logs in, and the guest's host key — which QEMU
 * Lab did not make, so cannot know beforehand — is learnt at the first login into the VM's own
 * known_hosts file and checked strictly from then on (OpenSSH's `accept-new`). A guest whose key
 * changes later (reinstalled, or something else answering on its port) is refused.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { VmError } from '../../errors';
import { expandHome } from '../../infrastructure/files/home-path';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { VmSpec } from '../../lab/model';
import type { GuestSshLogin } from '../vm/backend';
import { stateRoot } from '../vm/run-dir';
import { localLabDir, remoteLabDir } from './lab-guest-keys';

/** The folder of one VM's own login files (its learnt known_hosts; on a remote host, its key too). */
function vmLoginDir(labDir: string, vmName: string): string {
  return join(labDir, 'vm-logins', vmName);
}

/** The known_hosts file name in a VM's login folder. */
const LEARNT_KNOWN_HOSTS = 'known_hosts';

/** The host-key alias of a VM with its own login: one per VM, so two guests' keys never mix. */
function manualHostKeyAlias(vmName: string): string {
  return `${vmName}.qemu-lab-guest`;
}

/**
 * The user's key for `identity:`, on this machine: it must exist and be private, since OpenSSH
 * ignores a key others can read and the login would then fail with only "Permission denied".
 */
async function checkedIdentity(vm: VmSpec, identity: string, labPath: string, home: string): Promise<string> {
  // ~/ as a shell and ssh read it (the README's host examples write keys that way); else from the lab file's folder.
  const path = resolve(dirname(labPath), expandHome(identity, home));
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) {
    throw new VmError(`VM "${vm.name}": its identity: ${path} is not a file on this machine.`, {
      hint: 'Write the path of the SSH private key that logs into the guest as user: (a relative path is taken from the lab file\'s folder; ~/ is your home).',
    });
  }
  if ((info.mode & 0o077) !== 0) {
    throw new VmError(`VM "${vm.name}": its identity: ${path} can be read by others (mode ${(info.mode & 0o777).toString(8)}), and ssh ignores such a key.`, {
      hint: `Make it private: chmod 600 ${path}`,
    });
  }
  return path;
}

/** Makes the VM's known_hosts there when it is not there yet; one that is there keeps the keys it learnt. */
async function learntKnownHosts(system: HostSystem, dir: string): Promise<string> {
  await system.makePrivateDirectory(dir);
  const file = join(dir, LEARNT_KNOWN_HOSTS);
  if ((await system.readText(file)) === undefined) await system.writeTextAtomically(file, '');
  return file;
}

/**
 * The SSH login of a VM with `user:` + `identity:` on `system`: the key (placed on a remote host
 * under the lab's folder there), the VM's own known_hosts, learnt on first use.
 */
export async function manualGuestSsh(vm: VmSpec, login: { readonly user: string; readonly identity: string }, labPath: string, system: HostSystem, env: NodeJS.ProcessEnv): Promise<GuestSshLogin> {
  const identity = await checkedIdentity(vm, login.identity, labPath, env.HOME ?? homedir());
  const labDir = system.isLocal ? localLabDir(stateRoot(env), labPath) : await remoteLabDir(system, labPath);
  const dir = vmLoginDir(labDir, vm.name);
  const knownHostsFile = await learntKnownHosts(system, dir);
  const privateKey = system.isLocal ? identity : await system.place(identity, dir, 0o600);
  return { privateKey, knownHostsFile, hostKeyAlias: manualHostKeyAlias(vm.name), user: login.user, hostKeyCheck: 'first-use' };
}
