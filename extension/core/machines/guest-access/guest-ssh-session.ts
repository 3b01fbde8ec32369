import { VmError } from '../../errors';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { inNamespaceArgv } from '../../infrastructure/network/netns-system';
import { guestKeysHere } from './guest-keys-here';
import { proxyCommandLine, startGuestRelay, type GuestRelay } from './guest-relay';
import { sshArgs, sshCommandArgv } from './guest-ssh';
import type { GuestSshEndpoint } from '../vm/vm-record';

/** A program to start, with its arguments. */
export interface ProgramLine {
  readonly program: string;
  readonly args: string[];
}

/** What it takes to run this machine's `ssh` into a guest, on whichever host the guest runs. */
export interface GuestSshSession {
  /** `ssh` arguments: a terminal session without `command`, else that one command. */
  argv(command?: readonly string[]): string[];
  /**
   * The program to start: `ssh` with {@link argv}, run inside the guest's network namespace when
   * it is on an isolated network of this machine (only that namespace reaches the guest).
   */
  program(command?: readonly string[]): ProgramLine;
  /**
   * Environment for the `ssh` process: OpenSSH runs a ProxyCommand with `$SHELL -c`, and our
   * quoting is POSIX shell quoting, so SHELL is set to /bin/sh (never to the user's fish or csh).
   */
  readonly env: Readonly<Record<string, string>>;
  /** Why the relay could not reach the guest, when ssh failed because of that. */
  readonly relayError: string | undefined;
  /** Stops the relay and removes copied key files. */
  close(): Promise<void>;
}

/** Options of {@link openGuestSsh}. */
export interface GuestSshSessionOptions {
  /**
   * The argv of a program that copies its stdin/stdout to a UNIX socket (relayStdio), e.g.
   * `node dist/cli.js internal relay SOCKET`; used only for guests on another host.
   */
  readonly relayArgv: (socketPath: string) => readonly string[];
  /** Extra environment of the relay program (e.g. ELECTRON_RUN_AS_NODE in the editor). */
  readonly relayEnv?: Readonly<Record<string, string>>;
  /** Where this machine's state is (the guest keys are copied under it for ssh). */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Prepares `ssh` into a guest. A guest on this machine is reached at its forwarded port as
 * always; a guest on a remote host through a relay over that host's SSH connection (see
 * guest-relay.ts), with the guest's own keys on this machine. In both cases the guest's host key
 * is checked against the guest's known_hosts file.
 */
export async function openGuestSsh(system: HostSystem, endpoint: GuestSshEndpoint, options: GuestSshSessionOptions): Promise<GuestSshSession> {
  if (system.isLocal) {
    const argv = (command?: readonly string[]): string[] => (command === undefined ? sshArgs(endpoint, { interactive: true }) : sshCommandArgv(endpoint, command));
    const namespace = endpoint.netns;
    return {
      argv,
      program: (command) => {
        if (namespace === undefined) return { program: 'ssh', args: argv(command) };
        const [program, args] = inNamespaceArgv(namespace, 'ssh', argv(command));
        return { program, args };
      },
      env: {},
      relayError: undefined,
      close: async () => undefined,
    };
  }
  if (endpoint.netns !== undefined) {
    // The relay opens TCP streams from the host's own network, which does not reach an isolated one.
    throw new VmError(`The guest is on an isolated network of host "${system.name}": this machine's ssh cannot reach it through the host.`, {
      hint: 'Run the command through the host instead: qemu-lab up VM --exec CMD.',
    });
  }
  const keys = await guestKeysHere(system, endpoint, options.env);
  let relay: GuestRelay;
  try {
    relay = await startGuestRelay(system, endpoint.host, endpoint.port);
  } catch (error) {
    await keys.dispose();
    throw error;
  }
  const proxyCommand = proxyCommandLine(options.relayArgv(relay.socketPath));
  const here = keys.endpoint;
  const argv = (command?: readonly string[]): string[] =>
    command === undefined ? sshArgs(here, { interactive: true, proxyCommand }) : sshCommandArgv(here, command, { proxyCommand });
  return {
    argv,
    program: (command) => ({ program: 'ssh', args: argv(command) }),
    env: { ...options.relayEnv, SHELL: '/bin/sh' },
    get relayError() {
      return relay.lastError;
    },
    close: async () => {
      await relay.close();
      await keys.dispose();
    },
  };
}
