/**
 * "QEMU Lab: COLO Fail Over": one side of a VM's pair goes on alone, on command — the user picks
 * which (to the secondary: the guest moves there; to the primary: it stays, unreplicated), with
 * what each means. The side given up is killed first, as `qemu-lab colo failover` does; the tree
 * then finds the VM where it runs.
 */
import * as vscode from 'vscode';
import { failOver } from '../../core/colo/failover';
import { loadPair } from '../../core/colo/pair-handle';
import { describeError } from '../../core/errors';
import { failoverChoices } from '../../presentation/colo/colo-choices';
import { notificationText } from '../../presentation/colo/colo-error-text';
import { hostOf } from '../../presentation/colo/colo-words';
import type { LabServices } from '../services';
import { pickColoVm } from './colo-pick';
import { followVm } from './follow-vm';
import { requireTrust } from './pick-vm';


/** See the file comment. */
export async function coloFailOverCommand(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('fail over COLO pairs')) return;
  const node = await pickColoVm(argument, services, 'Fail over the COLO pair of which VM?');
  if (node === undefined) return;
  const name = node.vm.name;
  const snapshot = await services.colo.readNow(node);
  if (snapshot.kind === 'no-pair') {
    void vscode.window.showErrorMessage(`VM "${name}" has no COLO pair. Set one up with "QEMU Lab: Start COLO Pair".`);
    return;
  }
  if (snapshot.kind === 'unreadable') {
    void vscode.window.showErrorMessage(`The COLO pair of ${name} could not be read: ${snapshot.message}`);
    return;
  }
  const { status } = snapshot;
  if (status.state === 'failed-over' && status.lastFailover !== undefined) {
    void vscode.window.showInformationMessage(
      `${name} has failed over already: the ${status.lastFailover.survivor} on ${hostOf(status, status.lastFailover.survivor)} runs it alone. Stop the pair and start it again to replicate.`,
    );
    return;
  }
  const choices = failoverChoices(status);
  if (choices.length === 0) {
    void vscode.window.showErrorMessage(`Neither QEMU of the COLO pair of ${name} can take over (the primary hung or is gone, and the secondary does not run). Stop the pair and start it again.`);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    choices.map((c) => ({ label: c.label, description: c.description, detail: c.detail, choice: c })),
    { title: `Fail over ${name}: which side goes on alone?`, placeHolder: 'The other side is killed first' },
  );
  if (picked === undefined) return;
  const survivor = picked.choice.survivor;
  try {
    const record = await services.colo.busyWith(node, 'failing over', () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${name}: failing over to the ${survivor}` }, async (progress) => {
        const root = services.stateRoot;
        const pair = await loadPair(services.backend, root, node.lab.path, name);
        return failOver(services.backend, pair, {
          stateRoot: root,
          survivor,
          reason: 'command',
          onStep: (text) => {
            progress.report({ message: text });
            services.log.info(`${name}: COLO failover: ${text}`);
          },
        });
      }),
    );
    const took = record.lastFailover?.durationMs;
    services.log.info(`${name}: failed over to the ${survivor} (${took ?? '?'} ms)`);
    void vscode.window.showInformationMessage(`${name}: the ${survivor} on ${hostOf(status, survivor)} runs the guest alone now (failover took ${took ?? '?'} ms).`);
  } catch (error) {
    services.log.error(`${name}: COLO failover failed: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Could not fail over ${name}: ${notificationText(error)}`, 'Show Log').then((choice) => {
      if (choice !== undefined) services.log.show();
    });
  } finally {
    await followVm(services, node);
    services.colo.invalidate({ labPath: node.lab.path, vmName: name });
  }
}
