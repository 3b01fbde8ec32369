/**
 * The COLO status panel: one webview panel per VM with a pair, showing the editor's last reading
 * of the pair (tree/colo-pairs.ts) and redrawn whenever it is read again — on the VM's state
 * events, on the COLO commands, on Refresh — never on a timer of its own. Its page is the
 * results panel's (panel-html.ts: CSP, nonce) with its own script, dist/colo.js. "Fail Over…"
 * runs the "COLO Fail Over" command on the panel's VM, which asks which way.
 */
import * as vscode from 'vscode';
import { isColoViewModel } from '../../../webview/colo-model';
import { isRecord } from '../../../webview/guards';
import { coloExtensionEndpoint, type FromColoWebview } from '../../../webview/protocol';
import type { LabFiles } from '../lab-files';
import type { ColoPairs } from '../tree/colo-pairs';
import type { VmNode } from '../../presentation/tree/nodes';
import { buildColoViewModel } from './colo-view-model';
import { makeNonce, panelHtml } from './panel-html';

/** The webview panel type (for `onWebviewPanel:` activation and the serializer). */
export const COLO_VIEW_TYPE = 'qemuLab.colo';

/** The command the panel's "Fail Over…" runs, with the panel's VM node. */
const FAIL_OVER_COMMAND = 'qemuLab.coloFailOver';

/** What the panel needs from the extension. */
export interface ColoPanelDependencies {
  readonly extensionUri: vscode.Uri;
  readonly log: vscode.LogOutputChannel;
  readonly colo: ColoPairs;
  readonly labs: LabFiles;
}

/** The open panels, by lab file and VM: showing a VM's status again brings its panel forward. */
const open = new Map<string, vscode.WebviewPanel>();

function idOf(labPath: string, vmName: string): string {
  return `${labPath}\u0000${vmName}`;
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableFindWidget: true,
    // Only the bundles: the webview can load nothing else of the extension, nor of the workspace.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
  };
}

/** Sets a panel's page, its message handling and its redraws for `node`. */
function attach(panel: vscode.WebviewPanel, deps: ColoPanelDependencies, node: VmNode): void {
  const header = { labPath: node.lab.path, vmName: node.vm.name, secondaryHost: node.vm.faultTolerance?.secondary };
  const model = () => {
    const view = deps.colo.viewOf(node);
    return buildColoViewModel(header, view.snapshot, view.busy);
  };
  const endpoint = coloExtensionEndpoint(
    async (message: FromColoWebview) => {
      switch (message.type) {
        case 'ready':
          endpoint.post({ type: 'colo', model: model() });
          return;
        case 'refresh':
          await deps.colo.readNow(node);
          return;
        case 'failOver':
          await vscode.commands.executeCommand(FAIL_OVER_COMMAND, node);
          return;
        case 'log':
          deps.log[message.level](`COLO panel: ${message.message}`);
          return;
      }
    },
    (message) => panel.webview.postMessage(message),
    (problem) => deps.log.warn(`COLO panel: ${problem}`),
  );
  const subscriptions = [
    panel.webview.onDidReceiveMessage((data: unknown) => endpoint.receive(data)),
    deps.colo.onDidChange((changed) => {
      if (changed.labPath === node.lab.path && changed.vmName === node.vm.name) endpoint.post({ type: 'colo', model: model() });
    }),
  ];
  const id = idOf(node.lab.path, node.vm.name);
  open.set(id, panel);
  panel.onDidDispose(() => {
    endpoint.dispose();
    for (const subscription of subscriptions) subscription.dispose();
    if (open.get(id) === panel) open.delete(id);
  });
  panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'qemu-lab.svg');
  const scriptUri = panel.webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'colo.js'));
  panel.webview.html = panelHtml({ cspSource: panel.webview.cspSource, scriptUri: scriptUri.toString(), nonce: makeNonce(), title: panel.title });
}

/** Opens the VM's COLO panel (or brings it forward) and reads the pair now. */
export function showColoPanel(deps: ColoPanelDependencies, node: VmNode): void {
  const existing = open.get(idOf(node.lab.path, node.vm.name));
  if (existing !== undefined) existing.reveal(undefined, false);
  else attach(vscode.window.createWebviewPanel(COLO_VIEW_TYPE, `COLO: ${node.vm.name}`, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, webviewOptions(deps.extensionUri)), deps, node);
  void deps.colo.readNow(node);
}

/**
 * Brings COLO panels back after a window reload: the VM is found again in the workspace's lab
 * files from the model the webview saved, and its pair read anew. In an untrusted workspace (or
 * for a VM no longer in a lab file) the panel is closed: reading a pair opens QMP sockets.
 * Register it at activation (and list `onWebviewPanel:qemuLab.colo` in activationEvents).
 */
export function registerColoPanelSerializer(deps: ColoPanelDependencies): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(COLO_VIEW_TYPE, {
    deserializeWebviewPanel: async (panel, state: unknown) => {
      const saved = isRecord(state) && isColoViewModel(state.model) ? state.model : undefined;
      const lab = saved === undefined || !vscode.workspace.isTrusted ? undefined : (await deps.labs.labs()).find((l) => l.path === saved.labPath);
      const vm = saved === undefined ? undefined : lab?.vms.get(saved.vmName);
      if (lab === undefined || vm === undefined || open.has(idOf(lab.path, vm.name))) {
        panel.dispose();
        return;
      }
      panel.webview.options = webviewOptions(deps.extensionUri);
      const node: VmNode = { kind: 'vm', lab, vm };
      attach(panel, deps, node);
      void deps.colo.readNow(node);
    },
  });
}
