import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { readGuest } from '../guest-image/artifacts';
import { defaultGuestCacheRoot } from '../guest-image/cache';
import { VmError } from '../../errors';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { GuestSshEndpoint } from '../vm/vm-record';

/** A guest's SSH endpoint with key files this machine's `ssh` can read; dispose removes copies. */
export interface GuestKeysHere {
  readonly endpoint: GuestSshEndpoint;
  dispose(): Promise<void>;
}

/**
 * The built-in guest's client key and known_hosts file on this machine, for an endpoint whose
 * files are on the VM's host. A remote host got its copy from a guest cache folder named by the
 * guest's hash; when this machine's folder of that hash holds the same host key it is used as it
 * is. Otherwise (the VM was booted from another machine) both files are copied from the host
 * into a private temporary folder, removed by `dispose`.
 */
export async function guestKeysHere(system: HostSystem, endpoint: GuestSshEndpoint, env: NodeJS.ProcessEnv): Promise<GuestKeysHere> {
  const nothing = async (): Promise<void> => undefined;
  if (system.isLocal) return { endpoint, dispose: nothing };
  const remoteKnownHosts = await system.readText(endpoint.knownHostsFile);
  const hash = basename(dirname(endpoint.privateKey));
  const cached = /^[0-9a-f]{16}$/.test(hash) ? await readGuest(join(defaultGuestCacheRoot(env), hash), hash) : undefined;
  if (cached !== undefined && remoteKnownHosts !== undefined) {
    const localKnownHosts = await readFile(cached.knownHostsFile, 'utf8').catch(() => undefined);
    if (localKnownHosts === remoteKnownHosts) {
      return { endpoint: { ...endpoint, privateKey: cached.sshPrivateKey, knownHostsFile: cached.knownHostsFile }, dispose: nothing };
    }
  }
  const privateKey = await system.readText(endpoint.privateKey);
  if (privateKey === undefined || remoteKnownHosts === undefined) {
    throw new VmError(`Cannot read the guest's SSH key files on host "${system.name}" (${endpoint.privateKey}).`, {
      hint: 'Boot the VM again with qemu-lab up, which places the built-in guest and its keys on that host.',
    });
  }
  // mkdtemp makes the folder 0700; the key is written 0600, as ssh insists.
  const folder = await mkdtemp(join(tmpdir(), 'qemu-lab-guest-key-'));
  const keyPath = join(folder, 'id_ed25519');
  const knownHostsPath = join(folder, 'known_hosts');
  await writeFile(keyPath, privateKey, { mode: 0o600 });
  await writeFile(knownHostsPath, remoteKnownHosts, { mode: 0o600 });
  return {
    endpoint: { ...endpoint, privateKey: keyPath, knownHostsFile: knownHostsPath },
    dispose: () => rm(folder, { recursive: true, force: true }),
  };
}
