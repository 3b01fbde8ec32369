import * as vscode from 'vscode';
import type { LabFiles } from '../lab-files';
import { entriesOf, labFileLabel, labViewRoots, sectionsOf, sectionTitle, type LabEntryNode, type LabSectionKind, type LabViewNode } from '../../presentation/tree/lab-nodes';

const SECTION_ICONS: Readonly<Record<LabSectionKind, string>> = { experiments: 'beaker', migrations: 'arrow-swap', networks: 'type-hierarchy' };

/** The `contextValue` of an entry, for the menus: `qemuLab.experiment`, `qemuLab.migration`, `qemuLab.network`. */
const ENTRY_CONTEXT: Readonly<Record<LabSectionKind, string>> = { experiments: 'qemuLab.experiment', migrations: 'qemuLab.migration', networks: 'qemuLab.network' };

/**
 * The "Lab" view: the experiments, migrations and networks of the workspace's lab files, with
 * Run / Migrate / Run in Terminal on them (package.json menus) and a click that opens the entry
 * in its lab file. It reads lab files only, so it shows in Restricted Mode too; the actions
 * refuse there. It changes when a lab file does.
 */
export class LabTreeProvider implements vscode.TreeDataProvider<LabViewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  private readonly watching: vscode.Disposable;
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly labs: LabFiles) {
    this.watching = labs.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: LabViewNode): vscode.TreeItem {
    switch (node.kind) {
      case 'lab': {
        const item = new vscode.TreeItem(labFileLabel(node.lab), vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.lab.path;
        item.description = vscode.workspace.asRelativePath(node.lab.path);
        item.iconPath = new vscode.ThemeIcon('file');
        item.contextValue = 'qemuLab.labFile';
        return item;
      }
      case 'section': {
        const item = new vscode.TreeItem(sectionTitle(node.section), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `${node.lab.path}#${node.section}`;
        item.iconPath = new vscode.ThemeIcon(SECTION_ICONS[node.section]);
        item.contextValue = `qemuLab.section.${node.section}`;
        return item;
      }
      case 'entry':
        return entryItem(node);
    }
  }

  async getChildren(node?: LabViewNode): Promise<LabViewNode[]> {
    if (node === undefined) return labViewRoots(await this.labs.labs());
    if (node.kind === 'lab') return sectionsOf(node.lab);
    if (node.kind === 'section') return entriesOf(node);
    return [];
  }

  dispose(): void {
    this.watching.dispose();
    this.changed.dispose();
  }
}

function entryItem(node: LabEntryNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
  item.id = `${node.lab.path}#${node.section}#${node.name}`;
  item.description = node.description;
  item.tooltip = `${node.name}: ${node.description}\n${vscode.workspace.asRelativePath(node.lab.path)}`;
  item.contextValue = ENTRY_CONTEXT[node.section];
  const span = node.span;
  // A click shows where the lab file writes it.
  item.command = {
    title: 'Open in the Lab File',
    command: 'vscode.open',
    arguments: [
      vscode.Uri.file(node.lab.path),
      span === undefined ? {} : { selection: new vscode.Range(span.line - 1, span.column - 1, span.endLine - 1, span.endColumn - 1) },
    ],
  };
  return item;
}
