/**
 * "QEMU Lab: Show Migrations": the stored migrations of a lab file in a quick pick (VM, from →
 * to, status, settings, when), the chosen one in the migration panel — its summary and, when it
 * was stored with a timeline, its charts — with a second tab comparing every stored migration of
 * that VM across settings. From a VM's context menu, that VM's migrations only. Reads only:
 * allowed in an untrusted workspace.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { readMigrationRecords } from '../../core/migration/store';
import { compareMigrations, recordsOfLab } from '../../core/measuring/reports/migration-comparison';
import { storedMigrationViewModel } from '../../presentation/panels/migration/stored-view-model';
import type { LabServices } from '../services';
import type { VmNode } from '../../presentation/tree/nodes';
import { migrationPickItems } from '../../presentation/migration/migration-pick-items';
import { pickLabPath } from './show-results';

function isVmNode(value: unknown): value is VmNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'vm';
}

/** "QEMU Lab: Show Migrations" (see the file comment). */
export async function showMigrations(services: LabServices, argument: unknown): Promise<void> {
  const vm = isVmNode(argument) ? argument.vm.name : undefined;
  const labPath = isVmNode(argument) ? argument.lab.path : await pickLabPath(services, argument, 'Show the migrations of which lab file?');
  if (labPath === undefined) return;
  const records = await readMigrationRecords(dirname(labPath)).then(
    (all) => recordsOfLab(all, labPath).filter((r) => vm === undefined || r.summary.vm === vm),
    (error: unknown) => {
      services.log.error(`Show Migrations: ${describeError(error)}`);
      void vscode.window.showErrorMessage(describeError(error));
      return undefined;
    },
  );
  if (records === undefined) return;
  if (records.length === 0) {
    void vscode.window.showInformationMessage(`No migrations${vm === undefined ? '' : ` of ${vm}`} are stored for ${vscode.workspace.asRelativePath(labPath)} yet. Migrate a running VM first ("QEMU Lab: Migrate VM…" in its context menu); every attempt is stored.`);
    return;
  }
  const picked = await vscode.window.showQuickPick(migrationPickItems(records), {
    title: `Stored migrations of ${vm ?? vscode.workspace.asRelativePath(labPath)} (newest first)`,
    placeHolder: 'VM: from → to · status · settings',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked === undefined) return;
  const { record } = picked;
  services.migrationPanels.showStored(storedMigrationViewModel(record, compareMigrations(records, record.summary.vm)));
}
