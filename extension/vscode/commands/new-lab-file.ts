import * as vscode from 'vscode';
import { exampleLabText } from '../../core/lab/example';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * "QEMU Lab: New Lab File": writes the commented example as `qemu-lab.yaml` in the workspace
 * (or `<name>.qemu-lab.yaml` when that exists) and opens it. Never overwrites a file; without
 * a folder open, opens the example as an untitled document. `onWritten` hears of a file written
 * (the walkthrough checks its step off at once, not when the file watcher gets to it).
 */
export async function newLabFile(onWritten?: () => void): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder === undefined) {
    const document = await vscode.workspace.openTextDocument({ language: 'qemu-lab', content: exampleLabText });
    await vscode.window.showTextDocument(document);
    return;
  }
  let target = vscode.Uri.joinPath(folder.uri, 'qemu-lab.yaml');
  if (await exists(target)) {
    const name = await vscode.window.showInputBox({
      title: 'qemu-lab.yaml exists already',
      prompt: 'Name of the new lab (it becomes NAME.qemu-lab.yaml)',
      value: 'lab2',
      validateInput: (value) => (/^[A-Za-z0-9._-]+$/.test(value) ? undefined : 'Use letters, digits, dot, dash and underscore only.'),
    });
    if (name === undefined) return;
    target = vscode.Uri.joinPath(folder.uri, `${name}.qemu-lab.yaml`);
    if (await exists(target)) {
      void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(target)} exists already; nothing was written.`);
      return;
    }
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(exampleLabText));
  onWritten?.();
  await vscode.window.showTextDocument(target);
}
