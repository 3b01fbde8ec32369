/**
 * The screen panels: one webview panel per VM showing its display through noVNC (dist/screen.js),
 * whose RFB bytes the extension relays to the VM's VNC UNIX socket on its host
 * (core/machines/screen/, presentation/panels/screen/screen-link.ts). Its page and channel are
 * every panel's (shared/panel-channel.ts). A hidden panel's webview is unloaded and its
 * connection closed; shown again, it connects anew. Not restored after a window reload: the
 * panel closes with the window (a connection is cheap to open again from the tree).
 */
import * as vscode from 'vscode';
import { VmError } from '../../../core/errors';
import { ScreenRelay } from '../../../core/machines/screen/screen-relay';
import type { HostVmBackend } from '../../../core/machines/vm/backend';
import { ScreenLink } from '../../../presentation/panels/screen/screen-link';
import { vmKeyOf, type VmNode } from '../../../presentation/tree/nodes';
import { SCREEN_PROTOCOL, type FromScreenWebview, type ToScreenWebview } from '../../../../webview/screen/protocol';
import { createPanel, logInto, PanelChannel, type PanelKind } from '../shared/panel-channel';

/** The webview panel type. */
export const SCREEN_VIEW_TYPE = 'qemuLab.screen';

const SCREEN_PANEL: PanelKind<ToScreenWebview, FromScreenWebview> = { viewType: SCREEN_VIEW_TYPE, bundle: 'screen.js', protocol: SCREEN_PROTOCOL };

/** What the panels need from the extension. */
export interface ScreenPanelDependencies {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly backend: HostVmBackend;
}

function idOf(node: VmNode): string {
  return `${node.lab.path}\u0000${node.vm.name}`;
}

/** The screen panels of the window, one per VM (opening a VM's screen again brings its panel forward). */
export class ScreenPanels implements vscode.Disposable {
  private readonly open = new Map<string, { readonly channel: PanelChannel<ToScreenWebview, FromScreenWebview>; readonly link: ScreenLink }>();

  constructor(private readonly deps: ScreenPanelDependencies) {}

  /** Opens the VM's screen panel, or brings it forward. */
  show(node: VmNode): void {
    const existing = this.open.get(idOf(node));
    if (existing !== undefined) {
      existing.channel.panel.reveal(undefined, false);
      return;
    }
    const panel = createPanel(SCREEN_PANEL, this.deps.extensionUri, `Screen: ${node.vm.name}`, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false });
    this.attach(panel, node);
  }

  /** Closes every panel's connection (the VMs keep running) and releases their listeners. */
  dispose(): void {
    for (const { channel, link } of [...this.open.values()]) {
      link.dispose();
      channel.dispose();
      channel.panel.dispose();
    }
    this.open.clear();
  }

  private attach(panel: vscode.WebviewPanel, node: VmNode): void {
    const { backend, log } = this.deps;
    const key = vmKeyOf(node);
    const id = idOf(node);
    const link = new ScreenLink({
      open: async () => {
        // Workspace Trust is checked again at each connect: the hosts' gate refuses in Restricted Mode too.
        if (!vscode.workspace.isTrusted) throw new VmError('QEMU Lab opens no screen in an untrusted workspace.', { hint: 'Trust the workspace to run its lab.' });
        const instance = await backend.find(key);
        if (instance === undefined || !instance.alive) throw new VmError(`${node.vm.name} is not running.`, { hint: 'Boot it, then Reconnect.' });
        const relay = await ScreenRelay.open(backend.systemOf(instance.record), instance.record);
        log.info(`${node.vm.name}: screen connected`);
        return relay;
      },
      // Called only once the webview asked to connect: the channel below exists by then.
      post: (message) => void channel.post(message),
    });
    const channel: PanelChannel<ToScreenWebview, FromScreenWebview> = new PanelChannel(panel, SCREEN_PANEL, {
      extensionUri: this.deps.extensionUri,
      handlers: {
        ready: () => void channel.post({ type: 'target', target: { labPath: node.lab.path, vmName: node.vm.name, host: node.vm.host } }),
        connect: () => link.connect(),
        data: (message) => {
          link.send(message.session, message.bytes);
        },
        disconnect: (message) => link.disconnect(message.session),
        log: logInto(log, `Screen of ${node.vm.name}`),
      },
      onProblem: (problem) => log.warn(`Screen of ${node.vm.name}: ${problem}`),
      onClosed: () => {
        link.dispose();
        if (this.open.get(id)?.link === link) this.open.delete(id);
      },
    });
    // A hidden webview is unloaded: its session ends now rather than when it is shown again.
    channel.own(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) link.disconnect(link.current);
      }),
    );
    this.open.set(id, { channel, link });
  }
}
