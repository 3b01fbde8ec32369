/**
 * The COLO status panel: one webview panel per VM with a pair, showing the editor's last reading
 * of the pair (tree/colo-pairs.ts) and redrawn whenever it is read again — on the VM's state
 * events, on the COLO commands, on Refresh — never on a timer of its own. Its page and channel
 * are every panel's (shared/panel-channel.ts) with its own script, dist/colo.js. "Fail Over…"
 * runs the "COLO Fail Over" command on the panel's VM, which asks which way.
 */
import * as vscode from 'vscode';
import { isColoViewModel } from '../../../../webview/colo/model';
import { COLO_PROTOCOL, type FromColoWebview, type ToColoWebview } from '../../../../webview/colo/protocol';
import { isRecord } from '../../../../webview/shared/guards';
import { buildColoViewModel } from '../../../presentation/panels/colo/view-model';
import type { LabFiles } from '../../lab-files';
import type { ColoPairs } from '../../tree/colo-pairs';
import type { VmNode } from '../../tree/nodes';
import { createPanel, logInto, PanelChannel, restorePanelOptions, type PanelKind } from '../shared/panel-channel';

/** The webview panel type (for `onWebviewPanel:` activation and the serializer). */
export const COLO_VIEW_TYPE = 'qemuLab.colo';

const COLO_PANEL: PanelKind<ToColoWebview, FromColoWebview> = { viewType: COLO_VIEW_TYPE, bundle: 'colo.js', protocol: COLO_PROTOCOL };

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

/** Sets a panel's page, its message handling and its redraws for `node`. */
function attach(panel: vscode.WebviewPanel, deps: ColoPanelDependencies, node: VmNode): void {
  const header = { labPath: node.lab.path, vmName: node.vm.name, secondaryHost: node.vm.faultTolerance?.secondary };
  const model = () => {
    const view = deps.colo.viewOf(node);
    return buildColoViewModel(header, view.snapshot, view.busy);
  };
  const id = idOf(node.lab.path, node.vm.name);
  const channel = new PanelChannel(panel, COLO_PANEL, {
    extensionUri: deps.extensionUri,
    handlers: {
      ready: () => void channel.post({ type: 'colo', model: model() }),
      refresh: async () => {
        await deps.colo.readNow(node);
      },
      failOver: async () => {
        await vscode.commands.executeCommand(FAIL_OVER_COMMAND, node);
      },
      log: logInto(deps.log, 'COLO panel'),
    },
    onProblem: (problem) => deps.log.warn(`COLO panel: ${problem}`),
    onClosed: () => {
      if (open.get(id) === panel) open.delete(id);
    },
  });
  channel.own(
    deps.colo.onDidChange((changed) => {
      if (changed.labPath === node.lab.path && changed.vmName === node.vm.name) channel.post({ type: 'colo', model: model() });
    }),
  );
  open.set(id, panel);
}

/** Opens the VM's COLO panel (or brings it forward) and reads the pair now. */
export function showColoPanel(deps: ColoPanelDependencies, node: VmNode): void {
  const existing = open.get(idOf(node.lab.path, node.vm.name));
  if (existing !== undefined) existing.reveal(undefined, false);
  else attach(createPanel(COLO_PANEL, deps.extensionUri, `COLO: ${node.vm.name}`, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }), deps, node);
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
      restorePanelOptions(panel, deps.extensionUri);
      const node: VmNode = { kind: 'vm', lab, vm };
      attach(panel, deps, node);
      void deps.colo.readNow(node);
    },
  });
}
