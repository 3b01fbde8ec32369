import type { LabServices } from '../services';

/** A command's implementation, made from the services it needs. */
export type CommandFactory = (services: LabServices) => (...args: unknown[]) => unknown;

/**
 * A command whose implementation is loaded on its first run: its module (and what only it
 * needs: migration, COLO, experiments, the guest builder) is a chunk of its own in the build
 * (scripts/build.mjs), so activation does not load it.
 */
function lazy<M>(load: () => Promise<M>, run: (module: M, services: LabServices, args: unknown[]) => unknown): CommandFactory {
  return (services) =>
    async (...args) =>
      run(await load(), services, args);
}

/**
 * Every command of the extension: id → factory (as rust-analyzer's editors/code does). The ids
 * must match `contributes.commands` in package.json; a unit test checks both ways.
 */
export const commandTable: Readonly<Record<string, CommandFactory>> = {
  'qemuLab.newLabFile': lazy(() => import('./new-lab-file.js'), (m, s) => m.newLabFile(() => s.milestones.reach('labFileFound'))),
  'qemuLab.newVmFromImage': lazy(() => import('./new-vm-from-image.js'), (m, s) => m.newVmFromImage(s)),
  'qemuLab.addDomainToLab': lazy(() => import('./add-domain-to-lab.js'), (m, s, [node]) => m.addDomainToLab(s, node)),
  'qemuLab.refresh': (s) => () => s.tree.refresh(),
  'qemuLab.showLog': (s) => () => s.log.show(),
  'qemuLab.showRunning': lazy(() => import('./show-running.js'), (m, s, [argument]) => m.showRunning(s, argument)),
  'qemuLab.bootVm': lazy(() => import('./boot-vm.js'), (m, s, [node]) => m.bootVm(s, node)),
  'qemuLab.pauseVm': lazy(() => import('./pause-vm.js'), (m, s, [node]) => m.pauseVm(s, node)),
  'qemuLab.resumeVm': lazy(() => import('./resume-vm.js'), (m, s, [node]) => m.resumeVm(s, node)),
  'qemuLab.powerDownVm': lazy(() => import('./power-down-vm.js'), (m, s, [node]) => m.powerDownVm(s, node)),
  'qemuLab.resetVm': lazy(() => import('./reset-vm.js'), (m, s, [node]) => m.resetVm(s, node)),
  'qemuLab.killVm': lazy(() => import('./kill-vm.js'), (m, s, [node]) => m.killVm(s, node)),
  'qemuLab.migrateVm': lazy(() => import('./migrate-vm.js'), (m, s, [node]) => m.migrateVmCommand(s, node)),
  'qemuLab.showMigrations': lazy(() => import('./show-migrations.js'), (m, s, [argument]) => m.showMigrations(s, argument)),
  'qemuLab.openConsole': lazy(() => import('./open-console.js'), (m, s, [node]) => m.openConsole(s, node)),
  'qemuLab.openSsh': lazy(() => import('./open-ssh.js'), (m, s, [node]) => m.openSsh(s, node)),
  'qemuLab.openScreen': lazy(() => import('./open-screen.js'), (m, s, [node]) => m.openScreen(s, node)),
  'qemuLab.showResults': lazy(() => import('./show-results.js'), (m, s, [argument]) => m.showResults(s, argument)),
  'qemuLab.runExperiment': lazy(() => import('./run-experiment.js'), (m, s, [argument]) => m.runExperimentCommand(s, argument)),
  'qemuLab.runLab': lazy(() => import('./run-lab.js'), (m, s, [argument]) => m.runLabCommand(s, argument)),
  'qemuLab.importResults': lazy(() => import('./import-results.js'), (m, s, [argument]) => m.importResults(s, argument)),
  'qemuLab.reconnectHost': lazy(() => import('./reconnect-host.js'), (m, s, [argument]) => m.reconnectHost(s, argument)),
  'qemuLab.startColoPair': lazy(() => import('./start-colo-pair.js'), (m, s, [argument]) => m.startColoPair(s, argument)),
  'qemuLab.coloFailOver': lazy(() => import('./colo-fail-over.js'), (m, s, [argument]) => m.coloFailOverCommand(s, argument)),
  'qemuLab.stopColoPair': lazy(() => import('./stop-colo-pair.js'), (m, s, [argument]) => m.stopColoPair(s, argument)),
  'qemuLab.showColoStatus': lazy(() => import('./show-colo-status.js'), (m, s, [argument]) => m.showColoStatus(s, argument)),
  'qemuLab.takeSnapshot': lazy(() => import('./take-snapshot.js'), (m, s, [argument]) => m.takeSnapshot(s, argument)),
  'qemuLab.revertSnapshot': lazy(() => import('./revert-snapshot.js'), (m, s, [argument]) => m.revertSnapshot(s, argument)),
  'qemuLab.deleteSnapshot': lazy(() => import('./delete-snapshot.js'), (m, s, [argument]) => m.deleteSnapshot(s, argument)),
};
