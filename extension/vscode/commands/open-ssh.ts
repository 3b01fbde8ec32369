import { join } from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { openGuestSsh } from '../../core/machines/guest-access/guest-ssh-session';
import type { LabServices } from '../services';
import { pickVm, requireTrust } from './pick-vm';
import { vmKeyOf } from '../../presentation/tree/nodes';

/**
 * "Open SSH Terminal": an integrated terminal running `ssh` into the guest (host key checked).
 * A guest on a remote host is reached through the editor's SSH connection to that host (a
 * relay, see core/machines/guest-access/guest-relay.ts), which lives until the terminal closes.
 */
export async function openSsh(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('open SSH sessions')) return;
  const node = await pickVm(argument, services, ['running'], 'SSH into which VM?');
  if (node === undefined) return;
  const instance = await services.backend.find(vmKeyOf(node));
  const endpoint = instance?.alive ? instance.record.ssh : undefined;
  if (instance === undefined || endpoint === undefined) {
    void vscode.window.showErrorMessage(`${node.vm.name} is not running, or has no SSH server QEMU Lab knows of.`);
    return;
  }
  // The relay is this extension's own CLI bundle, run by the editor's runtime as plain Node.
  const cli = join(services.extension.extensionPath, 'dist', 'cli.js');
  let session;
  try {
    session = await openGuestSsh(services.backend.systemOf(instance.record), endpoint, {
      relayArgv: (socketPath) => [process.execPath, cli, 'internal', 'relay', socketPath],
      relayEnv: { ELECTRON_RUN_AS_NODE: '1' },
      env: services.env,
    });
  } catch (error) {
    services.log.error(`${node.vm.name}: SSH: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Cannot open SSH into ${node.vm.name}: ${describeError(error)}`);
    return;
  }
  const opened = session;
  const { program, args } = opened.program();
  const terminal = vscode.window.createTerminal({ name: `${node.vm.name} (ssh)`, shellPath: program, shellArgs: args, env: { ...opened.env } });
  const closing = vscode.window.onDidCloseTerminal((closed) => {
    if (closed !== terminal) return;
    closing.dispose();
    if (opened.relayError !== undefined) services.log.warn(`${node.vm.name}: SSH relay: ${opened.relayError}`);
    void opened.close();
  });
  services.extension.subscriptions.push(closing, { dispose: () => void opened.close() });
  terminal.show();
}
