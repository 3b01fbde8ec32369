import type { LabServices } from '../services';
import { bootVm } from './boot-vm';
import { coloFailOverCommand } from './colo-fail-over';
import { importResults } from './import-results';
import { killVm } from './kill-vm';
import { migrateVmCommand } from './migrate-vm';
import { newLabFile } from './new-lab-file';
import { newVmFromImage } from './new-vm-from-image';
import { openConsole } from './open-console';
import { openScreen } from './open-screen';
import { openSsh } from './open-ssh';
import { pauseVm } from './pause-vm';
import { powerDownVm } from './power-down-vm';
import { reconnectHost } from './reconnect-host';
import { resetVm } from './reset-vm';
import { resumeVm } from './resume-vm';
import { runExperimentCommand } from './run-experiment';
import { runLabCommand } from './run-lab';
import { takeSnapshot } from './take-snapshot';
import { revertSnapshot } from './revert-snapshot';
import { deleteSnapshot } from './delete-snapshot';
import { showColoStatus } from './show-colo-status';
import { showMigrations } from './show-migrations';
import { showResults } from './show-results';
import { showRunning } from './show-running';
import { startColoPair } from './start-colo-pair';
import { stopColoPair } from './stop-colo-pair';

/** A command's implementation, made from the services it needs. */
export type CommandFactory = (services: LabServices) => (...args: unknown[]) => unknown;

/**
 * Every command of the extension: id → factory (as rust-analyzer's editors/code does). The ids
 * must match `contributes.commands` in package.json; a unit test checks both ways.
 */
export const commandTable: Readonly<Record<string, CommandFactory>> = {
  'qemuLab.newLabFile': (s) => () => newLabFile(() => s.milestones.reach('labFileFound')),
  'qemuLab.newVmFromImage': (s) => () => newVmFromImage(s),
  'qemuLab.refresh': (s) => () => s.tree.refresh(),
  'qemuLab.showLog': (s) => () => s.log.show(),
  'qemuLab.showRunning': (s) => (argument) => showRunning(s, argument),
  'qemuLab.bootVm': (s) => (node) => bootVm(s, node),
  'qemuLab.pauseVm': (s) => (node) => pauseVm(s, node),
  'qemuLab.resumeVm': (s) => (node) => resumeVm(s, node),
  'qemuLab.powerDownVm': (s) => (node) => powerDownVm(s, node),
  'qemuLab.resetVm': (s) => (node) => resetVm(s, node),
  'qemuLab.killVm': (s) => (node) => killVm(s, node),
  'qemuLab.migrateVm': (s) => (node) => migrateVmCommand(s, node),
  'qemuLab.showMigrations': (s) => (argument) => showMigrations(s, argument),
  'qemuLab.openConsole': (s) => (node) => openConsole(s, node),
  'qemuLab.openSsh': (s) => (node) => openSsh(s, node),
  'qemuLab.openScreen': (s) => (node) => openScreen(s, node),
  'qemuLab.showResults': (s) => (argument) => showResults(s, argument),
  'qemuLab.runExperiment': (s) => (argument) => runExperimentCommand(s, argument),
  'qemuLab.runLab': (s) => (argument) => runLabCommand(s, argument),
  'qemuLab.importResults': (s) => (argument) => importResults(s, argument),
  'qemuLab.reconnectHost': (s) => (argument) => reconnectHost(s, argument),
  'qemuLab.startColoPair': (s) => (argument) => startColoPair(s, argument),
  'qemuLab.coloFailOver': (s) => (argument) => coloFailOverCommand(s, argument),
  'qemuLab.stopColoPair': (s) => (argument) => stopColoPair(s, argument),
  'qemuLab.showColoStatus': (s) => (argument) => showColoStatus(s, argument),
  'qemuLab.takeSnapshot': (s) => (argument) => takeSnapshot(s, argument),
  'qemuLab.revertSnapshot': (s) => (argument) => revertSnapshot(s, argument),
  'qemuLab.deleteSnapshot': (s) => (argument) => deleteSnapshot(s, argument),
};
