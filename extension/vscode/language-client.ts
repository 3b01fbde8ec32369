import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { HostCapabilities } from '../core/infrastructure/hosts/probes/capabilities';
import { PROBE_HOST_METHOD, REFRESH_HOSTS_METHOD, WORKSPACE_TRUSTED_METHOD, type LabServerOptions, type ProbeHostResult, type RefreshHostsResult } from '../server/protocol';

/** The output channel the language server and its client log to. */
export const LANGUAGE_SERVER_CHANNEL = 'QEMU Lab Language Server';

/**
 * How often a crashed server is restarted. The client's default error handler restarts the
 * server after each crash; when it crashes again with {@link MAX_SERVER_RESTARTS} restarts
 * already made in the last 3 minutes (the 6th crash in 3 minutes), it leaves it stopped, shows
 * a message, and the crash is in the output channel. Reloading the window starts it again.
 */
export const MAX_SERVER_RESTARTS = 5;

/**
 * Starts the lab-file language server (dist/server.js) for `qemu-lab` documents. The returned
 * client is disposable; stopping it stops the server. `commands` are the editor commands that
 * exist (every command the extension registers): the server shows a code lens only for a
 * command in this list, so no lens points at a command that is missing. They are passed in, not
 * imported, so this file's bundle (dist/language-client.js, loaded after activation) carries no
 * command code. `probeLocal` answers the server's {@link PROBE_HOST_METHOD} for this machine: the
 * tree's probe, so the server runs no QEMU of its own.
 */
export function startLanguageClient(context: vscode.ExtensionContext, commands: readonly string[], probeLocal: () => Promise<HostCapabilities>): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'qemu-lab' }],
    outputChannelName: LANGUAGE_SERVER_CHANNEL,
    connectionOptions: { maxRestartCount: MAX_SERVER_RESTARTS },
    // A function: read again at each (re)start, so a restart after trust is granted probes hosts.
    initializationOptions: (): LabServerOptions => ({
      commands: [...commands],
      // Probing runs QEMU on this machine: not in a workspace the user has not trusted. The
      // server then starts no process until it is told the workspace is trusted (below).
      probeHosts: vscode.workspace.isTrusted,
    }),
  };
  const client = new LanguageClient('qemuLab', LANGUAGE_SERVER_CHANNEL, serverOptions, clientOptions);
  client.onRequest(PROBE_HOST_METHOD, async (params: unknown): Promise<ProbeHostResult> => {
    const host = typeof params === 'object' && params !== null ? (params as { host?: unknown }).host : undefined;
    if (host !== 'local') return { error: `QEMU Lab probes only this machine for the lab-file checks, not "${String(host)}".` };
    try {
      return { capabilities: await probeLocal() };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  });
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (client.isRunning()) void client.sendNotification(WORKSPACE_TRUSTED_METHOD).catch(() => undefined);
    }),
  );
  // Not awaited: activation must stay fast; diagnostics arrive when the server is up. Trust
  // granted while it was starting reached no running server: say it once it runs.
  void client
    .start()
    .then(() => (vscode.workspace.isTrusted ? client.sendNotification(WORKSPACE_TRUSTED_METHOD) : undefined))
    .catch(() => undefined);
  return client;
}

/**
 * Asks the server to probe host `local` again (e.g. after QEMU was installed or KVM set up) and
 * re-check open lab files; resolves with how each probe went.
 */
export function refreshHostsInServer(client: LanguageClient, hosts?: readonly string[]): Promise<RefreshHostsResult> {
  return client.sendRequest<RefreshHostsResult>(REFRESH_HOSTS_METHOD, hosts === undefined ? {} : { hosts });
}
