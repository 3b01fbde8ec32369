import * as vscode from 'vscode';
import { sshArgs } from '../../core/vm/guest-ssh';
import type { LabServices } from '../services';
import { pickVm, requireTrust } from './pick-vm';
import { vmKeyOf } from '../tree/nodes';

/** "Open SSH Terminal": an integrated terminal running `ssh` into the guest (host key checked). */
export async function openSsh(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('open SSH sessions')) return;
  const node = await pickVm(argument, services, ['running'], 'SSH into which VM?');
  if (node === undefined) return;
  const instance = await services.backend.find(vmKeyOf(node));
  const endpoint = instance?.alive ? instance.record.ssh : undefined;
  if (endpoint === undefined) {
    void vscode.window.showErrorMessage(`${node.vm.name} is not running, or has no SSH server QEMU Lab knows of.`);
    return;
  }
  vscode.window.createTerminal({ name: `${node.vm.name} (ssh)`, shellPath: 'ssh', shellArgs: sshArgs(endpoint, { interactive: true }) }).show();
}
