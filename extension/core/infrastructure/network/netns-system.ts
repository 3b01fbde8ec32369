/**
 * A host seen from inside one of its network namespaces: programs run there (`ip netns exec`),
 * while files and UNIX sockets stay the host's (they do not belong to a network namespace).
 */
import type { Duplex } from 'node:stream';
import { NetworkError } from '../../errors';
import type { ProgramResult } from '../hosts/system/run-program';
import type { HostSystem, HostSystemRunOptions } from '../hosts/system/host-system';

const IP = 'ip';

/** The argv that runs `program args…` in namespace `namespace`. */
export function inNamespaceArgv(namespace: string, program: string, args: readonly string[]): [string, string[]] {
  return [IP, ['netns', 'exec', namespace, program, ...args]];
}

/**
 * Wraps `system` so that every program it runs or starts runs in `namespace`. TCP streams are
 * refused: the host's SSH connection or this process cannot open one from inside a namespace.
 */
export function inNetworkNamespace(system: HostSystem, namespace: string): HostSystem {
  return {
    name: `${system.name} (network namespace ${namespace})`,
    isLocal: system.isLocal,
    makePrivateDirectory: (path) => system.makePrivateDirectory(path),
    readText: (path) => system.readText(path),
    writeTextAtomically: (path, text) => system.writeTextAtomically(path, text),
    removeFiles: (paths) => system.removeFiles(paths),
    isSocket: (path) => system.isSocket(path),
    home: () => system.home(),
    kill: (pid) => system.kill(pid),
    freeLoopbackPort: () => system.freeLoopbackPort(),
    run(program: string, args: readonly string[], options?: HostSystemRunOptions): Promise<ProgramResult> {
      const [wrapper, wrapped] = inNamespaceArgv(namespace, program, args);
      return system.run(wrapper, wrapped, options);
    },
    startDetached(program: string, args: readonly string[], log: string): Promise<void> {
      const [wrapper, wrapped] = inNamespaceArgv(namespace, program, args);
      return system.startDetached(wrapper, wrapped, log);
    },
    openUnixSocket: (path) => system.openUnixSocket(path),
    openTcp(host: string, port: number): Promise<Duplex> {
      return Promise.reject(
        new NetworkError(`Cannot open ${host}:${port} inside network namespace ${namespace} of host "${system.name}" directly.`, {
          hint: 'Run a program in the namespace instead (ssh, iperf3); QEMU Lab does so for isolated networks.',
        }),
      );
    },
    place: (localPath, remoteDirectory, mode) => system.place(localPath, remoteDirectory, mode),
  };
}
