import * as vscode from 'vscode';
import type { AskSecret } from '../core/infrastructure/hosts/transports/ssh-auth';
import type { HostKeyInfo } from '../core/infrastructure/hosts/transports/ssh-transport';

/**
 * Asks for an SSH key passphrase or password, keeping it in VS Code's SecretStorage if the user
 * agrees (never on disk or in settings). A secret that turned out wrong is dropped and asked again.
 */
export function askSecretWith(secrets: vscode.SecretStorage): AskSecret {
  return async (prompt) => {
    const id = `qemuLab.ssh.${prompt.kind}.${prompt.account}${prompt.keyFile === undefined ? '' : `.${prompt.keyFile}`}`;
    if (prompt.retry) await secrets.delete(id);
    else {
      const stored = await secrets.get(id);
      if (stored !== undefined) return stored;
    }
    const value = await vscode.window.showInputBox({ title: 'QEMU Lab: SSH', prompt: prompt.message, password: true, ignoreFocusOut: true });
    if (value === undefined) return undefined;
    const keep = await vscode.window.showInformationMessage(`Remember this ${prompt.kind} for ${prompt.account} in VS Code's secret storage?`, 'Remember', 'Not Now');
    if (keep === 'Remember') await secrets.store(id, value);
    return value;
  };
}

/** Shows an SSH host's key fingerprint the first time and asks whether to trust it. */
export async function confirmNewHostKey(fingerprint: string, info: HostKeyInfo): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(
    `The SSH host ${info.host}:${info.port} is not known yet. Its key fingerprint is ${fingerprint}. Trust it and add it to ${info.knownHostsPath}?`,
    { modal: true, detail: 'Check the fingerprint with the host owner (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host). A changed key is always refused.' },
    'Trust Host',
  );
  return choice === 'Trust Host';
}
