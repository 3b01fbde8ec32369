import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { ExperimentSpec, LabModel } from '../../core/lab/model';
import { countOutcomes, runAndLogExperiment, type LoggedExperimentRun } from '../../core/measuring/experiments/run-and-log';
import { countsWords, outcomeWords } from '../../presentation/experiments/outcome-words';
import { formatEta } from '../../presentation/panels/results/progress-view';
import { withCancellableProgress } from '../cancellable-progress';
import type { LabServices } from '../services';
import { requireTrust } from './pick-vm';
import { labFiles } from './show-results';
import { namedEntryOf } from './entry-ref';


/** The experiment to run: the one the argument names, or one the user picks among all labs'. */
async function pickExperiment(services: LabServices, argument: unknown): Promise<{ lab: LabModel; experiment: ExperimentSpec } | undefined> {
  const labs = await labFiles(services);
  // Named by a CodeLens (`{ kind: 'experimentRef', labPath, name }`) or a "Lab" view row.
  const named = namedEntryOf(argument, 'experimentRef', 'experiments');
  if (named !== undefined) {
    const lab = labs.find((l) => l.path === named.labPath);
    const experiment = lab?.experiments.get(named.name);
    if (lab !== undefined && experiment !== undefined) return { lab, experiment };
    void vscode.window.showErrorMessage(`No experiment "${named.name}" in ${vscode.workspace.asRelativePath(named.labPath)}: save the lab file first.`);
    return undefined;
  }
  const candidates = labs.flatMap((lab) => [...lab.experiments.values()].map((experiment) => ({ lab, experiment })));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('No lab file of the workspace has an experiment. Add one under experiments: (the example of "QEMU Lab: New Lab File" has one).');
    return undefined;
  }
  if (candidates.length === 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((c) => ({
      label: c.experiment.name,
      description: `${c.experiment.vm} · ${c.experiment.benchmarks.join(', ')} · ${c.experiment.repetitions}×`,
      detail: vscode.workspace.asRelativePath(c.lab.path),
      candidate: c,
    })),
    { title: 'Run which experiment?' },
  );
  return picked?.candidate;
}

function isCancellation(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && error.name === 'AbortError');
}

/**
 * "QEMU Lab: Run Experiment": runs an experiment of a lab file for real (as `qemu-lab bench`),
 * with a cancellable progress notification (runs done, ETA, what it is doing). The results panel
 * of the lab follows the run: each cell appears as it ends. Cancelling aborts the runner, which
 * powers off the VMs it started; what was measured stays stored. At the end the run log (plan,
 * skipped and failed cells) is written beside the results, as the CLI does.
 */
export async function runExperimentCommand(services: LabServices, argument: unknown): Promise<void> {
  if (!requireTrust('run experiments')) return;
  const picked = await pickExperiment(services, argument);
  if (picked === undefined) return;
  const { lab, experiment } = picked;
  const name = experiment.name;
  const live = services.results.beginRun(lab.path, name);
  if (live === undefined) {
    void vscode.window.showWarningMessage(`An experiment of ${vscode.workspace.asRelativePath(lab.path)} is running already; wait for it or cancel it first.`);
    return;
  }
  services.results.show(lab.path, { experiment: name }, { preserveFocus: true });
  services.log.info(`experiment ${name}: starting (${vscode.workspace.asRelativePath(lab.path)})`);
  const cancel = new AbortController();
  const work = services.work.begin({ kind: 'experiment', subject: name, reveal: () => services.results.show(lab.path, { experiment: name }) });
  let logged: LoggedExperimentRun;
  try {
    logged = await withCancellableProgress(
      `Running experiment ${name}`,
      (progress, signal) => {
        let reported = 0;
        return runAndLogExperiment(lab, name, services.up, {
          signal,
          onProgress: (p) => {
            live.progress(p);
            const percent = p.planned > 0 ? Math.min(100, (p.done / p.planned) * 100) : 0;
            const eta = formatEta(p.etaSeconds);
            const where = `${p.done}/${p.planned}${eta === undefined ? '' : `, ${eta}`}`;
            progress.report({ message: `${where} — ${p.message}`, increment: Math.max(0, percent - reported) });
            work.update(where);
            reported = Math.max(reported, percent);
          },
          onCell: (outcome) => {
            live.cell(outcome);
            services.log.info(`experiment ${name}: ${outcome.cell.id}: ${outcomeWords(outcome)}`);
          },
        });
      },
      cancel,
    );
  } catch (error) {
    live.end();
    work.end();
    if (isCancellation(error, cancel.signal)) {
      services.log.info(`experiment ${name}: cancelled`);
      void vscode.window.showInformationMessage(`Experiment ${name} cancelled. The VMs it started are powered off; the runs measured so far are stored.`);
      return;
    }
    services.log.error(`experiment ${name}: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Experiment ${name} failed: ${describeError(error)}`, 'Show Log').then((choice) => {
      if (choice !== undefined) services.log.show();
    });
    return;
  }
  live.end();
  work.end();
  const { run, runLog } = logged;
  if (runLog.kind === 'failed') services.log.error(`experiment ${name}: the run log could not be written: ${describeError(runLog.error)}`);
  const counts = countOutcomes(run.outcomes);
  if (counts.done > 0) services.milestones.reach('experimentRan');
  const summary = `Experiment ${name}: ${countsWords(counts)}. Network: ${run.plan.network}.`;
  services.log.info(`${summary} Run ${run.runId}.`);
  const show = counts.failed > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(summary, 'Show Results').then((choice) => {
    if (choice !== undefined) services.results.show(lab.path, { experiment: name, runId: run.runId });
  });
}
