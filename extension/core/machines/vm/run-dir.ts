import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { VmError } from '../../errors';
import type { RunFiles } from '../../infrastructure/qemu/launch-plan';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';

/** Linux limits a UNIX socket path to 107 bytes (108 with the terminating NUL). */
const MAX_SOCKET_PATH_BYTES = 107;

/**
 * Where QEMU Lab keeps the state of the VMs it runs: `QEMU_LAB_STATE_DIR`, else
 * `$XDG_STATE_HOME/qemu-lab`, else `~/.local/state/qemu-lab`.
 */
export function stateRoot(env: NodeJS.ProcessEnv): string {
  if (env.QEMU_LAB_STATE_DIR) return resolve(env.QEMU_LAB_STATE_DIR);
  const base = env.XDG_STATE_HOME ? resolve(env.XDG_STATE_HOME) : join(homedir(), '.local', 'state');
  return join(base, 'qemu-lab');
}

/**
 * The state folder on the machine `system` is: `local` here; on a remote machine `remote` if set
 * (QEMU_LAB_REMOTE_STATE_DIR, the `remoteStateDirectory` setting), else `~/.local/state/qemu-lab`
 * in the remote user's home.
 */
export async function stateRootOn(system: Pick<HostSystem, 'isLocal' | 'home'>, roots: { readonly local: string; readonly remote?: string | undefined }): Promise<string> {
  if (system.isLocal) return roots.local;
  return roots.remote ?? join(await system.home(), '.local', 'state', 'qemu-lab');
}

/**
 * The directory of one VM of one lab file on one host. The lab file's path is part of the key
 * (hashed), so `vm1` of two labs never collide; the host too, so the source and destination of
 * a migration never share a directory, even on hosts that share a file system.
 */
export function vmRunDir(root: string, labPath: string, host: string, vmName: string): string {
  const lab = createHash('sha256').update(resolve(labPath)).digest('hex').slice(0, 10);
  return join(root, 'vms', host === 'local' ? `${lab}-${vmName}` : `${lab}-${vmName}@${host}`);
}

/** The files of a VM's run directory: QEMU's (see {@link RunFiles}), its output log and QEMU Lab's record. */
export interface VmRunFiles extends RunFiles {
  readonly stderrLog: string;
  readonly record: string;
}

/** The files of a VM inside its run directory. */
export function runFilesIn(dir: string, options: { vnc: boolean }): VmRunFiles {
  const files = {
    qmpSocket: join(dir, 'qmp.sock'),
    watchSocket: join(dir, 'watch.sock'),
    serialSocket: join(dir, 'serial.sock'),
    serialLog: join(dir, 'serial.log'),
    pidFile: join(dir, 'qemu.pid'),
    vncSocket: options.vnc ? join(dir, 'vnc.sock') : undefined,
    stderrLog: join(dir, 'qemu.stderr.log'),
    record: join(dir, 'vm.json'),
  };
  return files;
}

/**
 * Fails early, before QEMU starts, when a socket path would be longer than Linux allows (QEMU
 * would fail later with a less helpful message). Finding a VM never needs this: only booting.
 */
export function assertSocketPathsFit(files: RunFiles): void {
  for (const socket of [files.qmpSocket, files.watchSocket, files.serialSocket, files.vncSocket]) {
    if (socket !== undefined && Buffer.byteLength(socket) > MAX_SOCKET_PATH_BYTES) {
      throw new VmError(`The socket path ${socket} is longer than the ${MAX_SOCKET_PATH_BYTES} bytes Linux allows.`, {
        hint: 'Set QEMU_LAB_STATE_DIR to a shorter directory, e.g. /tmp/qemu-lab.',
      });
    }
  }
}
