/**
 * Where a running VM's screen is: QEMU's VNC server on the UNIX socket `vnc.sock` of the VM's
 * run directory (`vnc: true` in the lab file), reached on its host — directly here, through the
 * host's one SSH connection (sshd's streamlocal forwarding) on a remote host. Never a TCP port.
 */
import { posix } from 'node:path';
import type { Duplex } from 'node:stream';
import { VmError } from '../../errors';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { VmRecord } from '../vm/vm-record';

/** The name of the VNC socket in a VM's run directory (`runFilesIn` gives it the same name). */
export const SCREEN_SOCKET_NAME = 'vnc.sock';

/**
 * The VNC socket of a VM's record, checked again here because it is opened on the VM's host:
 * it must be exactly `vnc.sock` beside the VM's QMP socket, in the run directory, as an absolute
 * path with nothing to resolve (`..`, `//`). The record reader already holds every file to the
 * run directory; this keeps a record built elsewhere from pointing the relay at another socket.
 *
 * @throws VmError when the VM has no screen (booted without `vnc: true`) or the path is not that.
 */
export function screenSocketOf(record: Pick<VmRecord, 'vmName' | 'files'>): string {
  const socket = record.files.vncSocket;
  if (socket === undefined) {
    throw new VmError(`${record.vmName} has no screen: it was booted without a display.`, {
      hint: `Add \`vnc: true\` to ${record.vmName} in the lab file, then power it down and boot it again.`,
    });
  }
  const runDir = posix.dirname(record.files.qmpSocket);
  const expected = posix.join(runDir, SCREEN_SOCKET_NAME);
  if (!posix.isAbsolute(socket) || posix.normalize(socket) !== socket || socket !== expected) {
    throw new VmError(`The screen socket of ${record.vmName} in its state record (${JSON.stringify(socket.slice(0, 200))}) is not ${expected}.`, {
      hint: 'The VM\'s state record was changed by something else than QEMU Lab: power the VM down and boot it again.',
    });
  }
  return socket;
}

/**
 * Opens the VM's VNC socket on its host. QEMU accepts several VNC clients at once (each is
 * sent the whole screen), so a second panel or a viewer of the user's own does not wait.
 *
 * @throws VmError when the VM has no screen, or the socket does not open in `timeoutMs`.
 */
export async function openScreenSocket(system: HostSystem, record: Pick<VmRecord, 'vmName' | 'files'>, timeoutMs = 10_000): Promise<Duplex> {
  const path = screenSocketOf(record);
  let timer: NodeJS.Timeout | undefined;
  const opening = system.openUnixSocket(path);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new VmError(`The screen of ${record.vmName} did not answer in ${Math.round(timeoutMs / 1000)} s.`, { hint: 'Is the VM still running? Try again.' })), timeoutMs);
  });
  try {
    return await Promise.race([opening, timeout]);
  } catch (error) {
    // A socket that opens after the timeout is closed at once: nobody reads it.
    void opening.then((late) => late.destroy(), () => undefined);
    if (error instanceof VmError) throw error;
    throw new VmError(`Could not open the screen of ${record.vmName} on host "${system.name}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, {
      hint: 'Is the VM running? A VM booted before `vnc: true` was added has no screen: boot it again.',
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}
