/**
 * A lab whose hosts are namespace hosts, driven through the real CLI: the namespace hosts, a
 * private HOME with the client key as `~/.ssh/id_ed25519`, a state directory for the remote
 * side, and a `cli` that checks the namespaces still exist before every call (nothing is ever
 * sent to a namespace address that is not ours any more).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runCliProcess, type CliRun } from '../run-cli';
import { createNetnsHosts, type NetnsHosts, type NetnsHostsOptions } from './netns-hosts';

/** What {@link createRemoteLab} made. */
export interface RemoteLab {
  readonly hosts: NetnsHosts;
  readonly labDir: string;
  /** The lab file (written by {@link RemoteLab.writeLab}). */
  readonly lab: string;
  /** QEMU_LAB_REMOTE_STATE_DIR: the VMs' run directories on the namespace hosts (this machine's file system). */
  readonly remoteState: string;
  /** The environment every CLI call gets. */
  readonly env: NodeJS.ProcessEnv;
  /** The private key the hosts authorize, as the lab file names it. */
  readonly identity: string;
  /** `NAME: { kind: ssh, address, user: root, identity }` lines for `hosts:`, one per namespace host, named `names[i]`. */
  hostLines(names: readonly string[]): string[];
  /** Writes the lab file from its lines. */
  writeLab(lines: readonly string[]): void;
  /** Runs the CLI on the lab, accepting the hosts' new keys. */
  cli(...args: string[]): Promise<CliRun>;
}

/**
 * Makes the namespace hosts and the folders of a remote lab named `name` under the test root.
 * `cliEnv`: more environment for the CLI (e.g. `QEMU_LAB_QEMU`, the QEMU every host runs).
 */
export function createRemoteLab(name: string, options: NetnsHostsOptions, cliEnv: Readonly<Record<string, string>> = {}): RemoteLab {
  const root = process.env.QEMU_LAB_TEST_ROOT;
  if (root === undefined) throw new Error('QEMU_LAB_TEST_ROOT is not set: run with the integration project (its globalSetup sets it).');
  const hosts = createNetnsHosts(options);
  const labDir = join(root, `${name}-lab`);
  const lab = join(labDir, 'qemu-lab.yaml');
  const home = join(root, `${name}-home`);
  const remoteState = join(root, `${name}-state`);
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  mkdirSync(labDir, { recursive: true });
  const identity = join(home, '.ssh', 'id_ed25519');
  copyFileSync(hosts.clientKey, identity);
  const env = { HOME: home, XDG_CACHE_HOME: join(homedir(), '.cache'), QEMU_LAB_REMOTE_STATE_DIR: remoteState, SSH_AUTH_SOCK: '', ...cliEnv };
  return {
    hosts,
    labDir,
    lab,
    remoteState,
    env,
    identity,
    hostLines: (names) => names.map((host, i) => `  ${host}: { kind: ssh, address: ${hosts.hosts[i]?.address ?? 'missing-host'}, user: root, identity: ${identity} }`),
    writeLab: (lines) => writeFileSync(lab, [...lines, ''].join('\n')),
    cli: (...args) => {
      hosts.assertAlive();
      return runCliProcess(['-f', lab, '--accept-new-host-key', ...args], { cwd: labDir, env });
    },
  };
}
