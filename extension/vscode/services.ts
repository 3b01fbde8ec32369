import * as vscode from 'vscode';
import type { UpDependencies } from '../core/machines/vm/up';
import type { HostVmBackend } from '../core/machines/vm/backend';
import type { VmRegistry } from '../core/machines/vm/vm-registry';
import type { LabFiles } from './lab-files';
import type { ColoPanels } from './panels/colo/colo-panels';
import type { MigrationPanels } from './panels/migration/migration-panels';
import type { ResultsPanels } from './panels/results/results-panels';
import type { ScreenPanels } from './panels/screen/screen-panels';
import type { ColoPairs } from './tree/colo-pairs';
import type { HostsTreeProvider } from './tree/hosts-tree';
import type { SnapshotLists } from './tree/snapshot-lists';
import type { WorkInProgress } from './status/work-in-progress';
import type { Milestones } from './walkthrough/milestones';

/** What commands need; built once in `activate` and passed in, never looked up globally. */
export interface LabServices {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly backend: HostVmBackend;
  readonly up: UpDependencies;
  readonly labs: LabFiles;
  readonly registry: VmRegistry;
  readonly tree: HostsTreeProvider;
  /** The results panels, one per lab file. */
  readonly results: ResultsPanels;
  /** The migration panels: one per migration started here, and the one of stored migrations. */
  readonly migrationPanels: MigrationPanels;
  /** The last reading of each COLO pair (tree and COLO panels). */
  readonly colo: ColoPairs;
  /** The COLO status panels, one per VM. */
  readonly coloPanels: ColoPanels;
  /** The long work in progress (status bar, Show What Runs): commands announce theirs here. */
  readonly work: WorkInProgress;
  /** What the Get Started walkthrough checks off. */
  readonly milestones: Milestones;
  /** The snapshots the tree shows under running VMs: commands drop a VM's list when they change it. */
  readonly snapshots: SnapshotLists;
  /** The VMs' screen panels, one per VM. */
  readonly screenPanels: ScreenPanels;
  /** This machine's state folder (`qemuLab.stateDirectory`, QEMU_LAB_STATE_DIR or the default). */
  readonly stateRoot: string;
  /** The state folder on SSH hosts (`qemuLab.remoteStateDirectory`); undefined: their default. */
  readonly remoteStateRoot: string | undefined;
  /** The environment core functions get: the editor's, with the `qemuLab.*` folder settings over it. */
  readonly env: NodeJS.ProcessEnv;
}
