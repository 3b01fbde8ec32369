import type { Duplex } from 'node:stream';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { connectSerialConsole, toTerminalText } from '../../core/machines/vm/serial-console';
import type { LabServices } from '../services';
import { pickVm, requireTrust } from './pick-vm';
import { vmKeyOf } from '../../presentation/tree/nodes';

/** "Open Serial Console": a terminal on the VM's serial socket — type and read, like a real console. */
export async function openConsole(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('open consoles')) return;
  const node = await pickVm(argument, services, ['running', 'paused', 'powering-down', 'error'], 'Open the console of which VM?');
  if (node === undefined) return;
  const instance = await services.backend.find(vmKeyOf(node));
  if (instance === undefined || !instance.alive) {
    void vscode.window.showErrorMessage(`${node.vm.name} is not running.`);
    return;
  }
  const written = new vscode.EventEmitter<string>();
  const closed = new vscode.EventEmitter<void>();
  let socket: Duplex | undefined;
  const pty: vscode.Pseudoterminal = {
    onDidWrite: written.event,
    onDidClose: closed.event,
    open: () => {
      connectSerialConsole(services.backend.systemOf(instance.record), instance.record.files.serialSocket).then(
        (connected) => {
          socket = connected;
          written.fire(`\x1b[2m[serial console of ${node.vm.name}; close this terminal to leave it]\x1b[0m\r\n`);
          connected.on('data', (chunk: Buffer) => written.fire(toTerminalText(chunk.toString('utf8'))));
          connected.on('close', () => {
            written.fire('\r\n\x1b[2m[console closed: the VM stopped]\x1b[0m\r\n');
          });
          connected.write('\r'); // Ask the guest for a fresh prompt.
        },
        (error: unknown) => {
          written.fire(`${describeError(error)}\r\n`);
          closed.fire();
        },
      );
    },
    close: () => {
      socket?.destroy();
      written.dispose();
      closed.dispose();
    },
    handleInput: (data) => {
      socket?.write(data);
    },
  };
  vscode.window.createTerminal({ name: `${node.vm.name} (serial)`, pty, iconPath: new vscode.ThemeIcon('terminal') }).show();
}
