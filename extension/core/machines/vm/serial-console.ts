import type { Duplex } from 'node:stream';
import { VmError } from '../../errors';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';

/**
 * Connects to a VM's serial console socket on its host (directly here, forwarded over SSH on a
 * remote host). QEMU serves one console client at a time; a second one waits until the first
 * leaves, so a connection that does not open in time says so.
 */
export async function connectSerialConsole(system: HostSystem, socketPath: string, timeoutMs = 5_000): Promise<Duplex> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new VmError('The serial console did not answer.', { hint: 'Another console may be open on this VM; close it first.' })),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([system.openUnixSocket(socketPath), timeout]);
  } catch (error) {
    if (error instanceof VmError) throw error;
    throw new VmError(`Could not open the serial console of host "${system.name}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, {
      hint: 'Is the VM running?',
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Terminal output for console bytes: a lone LF becomes CRLF so lines start at the left edge. */
export function toTerminalText(text: string): string {
  return text.replace(/(?<!\r)\n/g, '\r\n');
}
