/**
 * The COLO status panel: one webview panel per VM with a pair, showing the editor's last reading
 * of the pair (tree/colo-pairs.ts) and redrawn whenever it is read again — on the VM's state
 * events, on the COLO commands, on Refresh — never on a timer of its own. Its page and channel
 * are every panel's (shared/panel-channel.ts) with its own script, dist/colo.js. "Fail Over…"
 * runs the "COLO Fail Over" command on the panel's VM, which asks which way. What COLO cost the
 * guest comes from the lab run's record (`qemu-lab run`'s COLO part), read on open and Refresh.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../../core/errors';
import { readLabRunState } from '../../../core/lab-run/state';
import { coloCostView } from '../../../presentation/panels/colo/cost-view';
import type { ColoCostView } from '../../../../webview/colo/model';
import { isColoViewModel } from '../../../../webview/colo/model';
import { COLO_PROTOCOL, type FromColoWebview, type ToColoWebview } from '../../../../webview/colo/protocol';
import { isRecord } from '../../../../webview/shared/guards';
import { buildColoViewModel } from '../../../presentation/panels/colo/view-model';
import type { LabFiles } from '../../lab-files';
import type { ColoPairs } from '../../tree/colo-pairs';
import type { VmNode } from '../../../presentation/tree/nodes';
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

function idOf(labPath: string, vmName: string): string {
  return `${labPath}\u0000${vmName}`;
}

/**
 * The COLO panels of the window, one per VM (showing a VM's status again brings its panel
 * forward), and the serializer that brings them back after a window reload. Built once by the
 * composition root; disposing it releases every panel's listeners and the serializer, and leaves
 * the panels to VS Code to restore.
 */
export class ColoPanels implements vscode.Disposable {
  private readonly open = new Map<string, PanelChannel<ToColoWebview, FromColoWebview>>();
  private readonly serializer: vscode.Disposable;

  constructor(private readonly deps: ColoPanelDependencies) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(COLO_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, state),
    });
  }

  /** Opens the VM's COLO panel (or brings it forward) and reads the pair now. */
  show(node: VmNode): void {
    const existing = this.open.get(idOf(node.lab.path, node.vm.name));
    if (existing !== undefined) existing.panel.reveal(undefined, false);
    else this.attach(createPanel(COLO_PANEL, this.deps.extensionUri, `COLO: ${node.vm.name}`, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }), node);
    void this.deps.colo.readNow(node, { checkpoints: true });
  }

  /** Releases every panel's listeners and the serializer; the panels stay for VS Code to restore after a reload. */
  dispose(): void {
    for (const channel of [...this.open.values()]) channel.dispose();
    this.open.clear();
    this.serializer.dispose();
  }

  /** Sets a panel's page, its message handling and its redraws for `node`. */
  private attach(panel: vscode.WebviewPanel, node: VmNode): void {
    const deps = this.deps;
    const header = { labPath: node.lab.path, vmName: node.vm.name, secondaryHost: node.vm.faultTolerance?.secondary };
    // What COLO cost the guest when last measured: from the lab run's record beside the lab file (a local file, checked when read).
    let cost: ColoCostView | undefined;
    const model = () => {
      const view = deps.colo.viewOf(node);
      return buildColoViewModel(header, view.snapshot, view.busy, cost);
    };
    const readCost = async (): Promise<void> => {
      try {
        cost = coloCostView(await readLabRunState(dirname(node.lab.path)), node.vm.name);
      } catch (error) {
        cost = undefined;
        deps.log.warn(`COLO panel: ${describeError(error)}`);
      }
    };
    const id = idOf(node.lab.path, node.vm.name);
    const channel: PanelChannel<ToColoWebview, FromColoWebview> = new PanelChannel(panel, COLO_PANEL, {
      extensionUri: deps.extensionUri,
      handlers: {
        ready: () => void channel.post({ type: 'colo', model: model() }),
        refresh: async () => {
          await readCost();
          await deps.colo.readNow(node, { checkpoints: true });
        },
        failOver: async () => {
          await vscode.commands.executeCommand(FAIL_OVER_COMMAND, node);
        },
        log: logInto(deps.log, 'COLO panel'),
      },
      onProblem: (problem) => deps.log.warn(`COLO panel: ${problem}`),
      onClosed: () => {
        if (this.open.get(id) === channel) this.open.delete(id);
      },
    });
    channel.own(
      deps.colo.onDidChange((changed) => {
        if (changed.labPath === node.lab.path && changed.vmName === node.vm.name) channel.post({ type: 'colo', model: model() });
      }),
    );
    this.open.set(id, channel);
    void readCost().then(() => channel.post({ type: 'colo', model: model() }));
  }

  /**
   * After a window reload: the VM is found again in the workspace's lab files from the model the
   * webview saved, and its pair read anew. In an untrusted workspace (or for a VM no longer in a
   * lab file) the panel is closed: reading a pair opens QMP sockets. (package.json lists
   * `onWebviewPanel:qemuLab.colo` in activationEvents.)
   */
  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = isRecord(state) && isColoViewModel(state.model) ? state.model : undefined;
    const lab = saved === undefined || !vscode.workspace.isTrusted ? undefined : (await this.deps.labs.labs()).find((l) => l.path === saved.labPath);
    const vm = saved === undefined ? undefined : lab?.vms.get(saved.vmName);
    if (lab === undefined || vm === undefined || this.open.has(idOf(lab.path, vm.name))) {
      panel.dispose();
      return;
    }
    restorePanelOptions(panel, this.deps.extensionUri);
    const node: VmNode = { kind: 'vm', lab, vm };
    this.attach(panel, node);
    void this.deps.colo.readNow(node);
  }
}
