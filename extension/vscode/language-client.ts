import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/**
 * Starts the lab-file language server (dist/server.js) for `qemu-lab` documents. The returned
 * client is disposable; stopping it stops the server. A crashed server is restarted by the
 * client (its default error handler), and the crash is logged in the output channel.
 */
export function startLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'qemu-lab' }],
  };
  const client = new LanguageClient('qemuLab', 'QEMU Lab Language Server', serverOptions, clientOptions);
  // Not awaited: activation must stay fast; diagnostics arrive when the server is up.
  void client.start();
  return client;
}
