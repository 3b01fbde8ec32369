import { createConnection, type Socket } from 'node:net';
import { VmError } from '../errors';

/**
 * Connects to a VM's serial console socket. QEMU serves one console client at a time; a second
 * one waits until the first leaves, so a connection that does not open in time says so.
 */
export function connectSerialConsole(socketPath: string, timeoutMs = 5_000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new VmError('The serial console did not answer.', { hint: 'Another console may be open on this VM; close it first.' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new VmError(`Could not open the serial console (${error.code ?? error.message}).`, { hint: 'Is the VM running?', cause: error }));
    });
  });
}

/** Terminal output for console bytes: a lone LF becomes CRLF so lines start at the left edge. */
export function toTerminalText(text: string): string {
  return text.replace(/(?<!\r)\n/g, '\r\n');
}
