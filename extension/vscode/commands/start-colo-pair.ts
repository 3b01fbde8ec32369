/**
 * "QEMU Lab: Start COLO Pair": `colo up` on a VM that declares `faultTolerance` — boots it (or
 * takes it running) as the primary, starts the secondary, and migrates into COLO — with a
 * cancellable progress notification, one message per step. A hung first checkpoint (QEMU 7.2
 * under TCG) kills both QEMUs; the error says so with its hint.
 */
import * as vscode from 'vscode';
import { coloUpAndWatch } from '../../core/colo/colo-up-and-watch';
import { ColoCheckpointHungError, ColoNotReplicatingError, ColoUpFailedError } from '../../core/colo/errors';
import { describeError } from '../../core/errors';
import { notificationText } from '../../presentation/colo/colo-error-text';
import { enteredColoWords, pairRunningWords } from '../../presentation/colo/colo-up-text';
import { withCancellableProgress } from '../cancellable-progress';
import type { LabServices } from '../services';
import { vmKeyOf } from '../../presentation/tree/nodes';
import { pickColoVm } from './colo-pick';
import { requireTrust } from './pick-vm';

/** See the file comment. */
export async function startColoPair(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('start COLO pairs')) return;
  const node = await pickColoVm(argument, services, 'Start the COLO pair of which VM?');
  if (node === undefined) return;
  const name = node.vm.name;
  const cancel = new AbortController();
  const work = services.work.begin({ kind: 'colo', subject: name, reveal: () => void vscode.commands.executeCommand('qemuLab.showColoStatus', node) });
  work.update('starting');
  try {
    const result = await services.colo.busyWith(node, 'starting', () =>
      withCancellableProgress(
        `COLO pair of ${name}`,
        async (progress, signal) => {
          const { up } = await coloUpAndWatch(node.lab, name, services.up, {
            stateRoot: services.stateRoot,
            remoteStateRoot: services.remoteStateRoot,
            signal,
            onStep: (text) => {
              progress.report({ message: text });
              work.update(text);
              services.log.info(`${name}: COLO: ${text}`);
            },
          });
          return up;
        },
        cancel,
      ),
    );
    const { record } = result;
    const enteredWords = enteredColoWords(result);
    const entered = enteredWords === undefined ? '' : ` (${enteredWords})`;
    services.log.info(`${name}: ${pairRunningWords(result)}: primary ${record.primary.host} (pid ${result.primaryPid ?? '?'}), secondary ${record.secondary.host} (pid ${result.secondaryPid ?? '?'})${entered}`);
    void vscode.window
      .showInformationMessage(`${name}: ${pairRunningWords(result)} — primary on ${record.primary.host}, secondary on ${record.secondary.host}${entered}.`, 'Show COLO Status')
      .then((choice) => {
        if (choice !== undefined) void vscode.commands.executeCommand('qemuLab.showColoStatus', node);
      });
  } catch (error) {
    services.log.error(`${name}: COLO pair not started: ${describeError(error)}`);
    if (cancel.signal.aborted) {
      void vscode.window.showWarningMessage(`Starting the COLO pair of ${name} was cancelled: ${notificationText(error)}`);
      return;
    }
    // These say what became of the QEMUs themselves (both ended; or the primary ended or left running, unprotected).
    const says = error instanceof ColoCheckpointHungError || error instanceof ColoNotReplicatingError || error instanceof ColoUpFailedError;
    void vscode.window.showErrorMessage(`${says ? '' : 'Could not start the COLO pair: '}${notificationText(error)}`, 'Show Log').then((choice) => {
      if (choice !== undefined) services.log.show();
    });
  } finally {
    work.end();
    await services.registry.refreshOne(vmKeyOf(node)).catch(() => undefined);
  }
}
