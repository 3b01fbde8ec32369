import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createNetnsHosts, type NetnsHost, type NetnsHosts } from '../../support/netns/netns-hosts';
import { runCliProcess } from '../../support/run-cli';

/** A lab whose one host is a network namespace with a real sshd, and vm1 booted there by the CLI. */
export interface SshHostLab {
  readonly hosts: NetnsHosts;
  readonly host: NetnsHost;
  /** The scenario's own short folder under /tmp (socket paths have 107 bytes). */
  readonly root: string;
  /** The VMs' state on the host (its sessions' HOME is under `root`, on this file system). */
  readonly remoteState: string;
  /** The environment the editor and the CLI run with: a HOME with the client key and the host's key known, no agent. */
  readonly env: Record<string, string>;
  /** Ends vm1 (by the CLI), the namespace host, and the folder. */
  tearDown(): Promise<void>;
}

/**
 * Makes the SSH-host lab a scenario's `setUp` needs: one namespace host whose sessions get their
 * own HOME (the VM's state lives there, not in root's home), an editor user whose HOME has the
 * client key and the host's key already known (no prompt, nothing written to the real ~/.ssh),
 * `qemu-lab.yaml` in the workspace with host `lab1` and `vm1: { host: lab1, <vmKeys> }`, and vm1
 * booted there. `files` may write what the VM line names (a disk) first. Cleans up if it fails.
 */
export async function sshHostLab(options: {
  readonly workspace: string;
  /** The folder name's prefix under /tmp, e.g. `qle-trust-`. */
  readonly prefix: string;
  /** vm1's keys after `host: lab1, `. */
  readonly vmKeys: (root: string) => string;
  /** Files the VM needs, written before the lab file (e.g. a blank disk). */
  readonly files?: (root: string) => void;
}): Promise<SshHostLab> {
  const root = mkdtempSync(join('/tmp', options.prefix));
  const remoteHome = join(root, 'rhome');
  mkdirSync(remoteHome, { recursive: true, mode: 0o700 });
  // The namespace hosts keep their files under QEMU_LAB_TEST_ROOT: this scenario's folder, gone
  // with it (a value left by the scenario before would name a folder removed already).
  const before = process.env.QEMU_LAB_TEST_ROOT;
  process.env.QEMU_LAB_TEST_ROOT = root;
  let hosts: NetnsHosts;
  try {
    hosts = createNetnsHosts({ hosts: 1, sshdConfig: [`SetEnv HOME=${remoteHome}`] });
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  } finally {
    if (before === undefined) delete process.env.QEMU_LAB_TEST_ROOT;
    else process.env.QEMU_LAB_TEST_ROOT = before;
  }
  try {
    const host = hosts.hosts[0];
    if (host === undefined) throw new Error('no namespace host');
    const home = join(root, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    const identity = join(home, '.ssh', 'id_ed25519');
    copyFileSync(hosts.clientKey, identity);
    copyFileSync(hosts.knownHosts, join(home, '.ssh', 'known_hosts'));
    options.files?.(root);
    const lab = join(options.workspace, 'qemu-lab.yaml');
    writeFileSync(lab, ['hosts:', `  lab1: { kind: ssh, address: ${host.address}, user: root, identity: ${identity} }`, 'vms:', `  vm1: { host: lab1, ${options.vmKeys(root)} }`, ''].join('\n'));
    const env = { HOME: home, XDG_CACHE_HOME: join(homedir(), '.cache'), SSH_AUTH_SOCK: '' };
    const cli = (...args: string[]) => {
      hosts.assertAlive(); // Never talk to a namespace address that is not ours any more.
      return runCliProcess(['-f', lab, ...args], { cwd: options.workspace, env });
    };
    const up = await cli('up', 'vm1');
    if (up.code !== 0) throw new Error(`qemu-lab up vm1 failed (${up.code}):\n${up.stdout}${up.stderr}`);
    return {
      hosts,
      host,
      root,
      remoteState: join(remoteHome, '.local', 'state', 'qemu-lab'),
      env,
      async tearDown() {
        try {
          await cli('kill', 'vm1');
        } finally {
          hosts.destroy();
          rmSync(root, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    hosts.destroy();
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
