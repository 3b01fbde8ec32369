import { dirname } from 'node:path';
import { runAndLogExperiment } from '../../core/measuring/experiments/run-and-log';
import type { CellOutcome } from '../../core/measuring/experiments/runner';
import { resultsFilePath } from '../../core/measuring/results/store';
import { outcomeWords } from '../../presentation/experiments/outcome-words';
import { defineCommand } from '../command-spec';
import { UsageError } from '../io';
import { loadLabOrFail } from '../load-lab';
import { withVmDependencies } from '../vm-context';

function outcomeLine(outcome: CellOutcome): string {
  return `${outcome.cell.id.padEnd(40)} ${outcomeWords(outcome)}`;
}

/**
 * `qemu-lab bench EXPERIMENT`: runs an experiment of the lab file for real and prints each cell
 * as it finishes; every measured run is stored in `.qemu-lab/results/` next to the lab file.
 */
export const benchCommand = defineCommand({
  name: 'bench',
  operands: { synopsis: 'EXPERIMENT', count: 1, what: 'experiment name', complete: 'experiment' },
  options: {
    repetitions: { value: 'N', help: "runs per cell (default: the experiment's)" },
    duration: { value: 'SECONDS', help: "length of each run (default: the experiment's)" },
  },
  summary: "run an experiment: medians per cell, stored as they land; --json prints the run's cells",
  example: 'qemu-lab bench course-report --repetitions 3 --duration 5',
  async run({ values, positionals: [name = ''] }, global, io) {
    const number = (value: string | undefined, what: string) => {
      if (value === undefined) return undefined;
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${what} takes a positive number.`);
      return n;
    };
    const repetitions = number(values.repetitions, '--repetitions');
    if (repetitions !== undefined && !Number.isInteger(repetitions)) throw new UsageError('--repetitions takes a whole number.');
    const durationSeconds = number(values.duration, '--duration');

    const lab = await loadLabOrFail(global.file, io);
    let lastProgress = '';
    const { run, runLog } = await withVmDependencies(lab, global, io, (deps) => runAndLogExperiment(lab, name, deps, {
      signal: io.signal,
      repetitions,
      durationSeconds,
      onProgress: (p) => {
        const eta = p.etaSeconds === undefined ? '' : `, ~${Math.ceil(p.etaSeconds)} s left`;
        const line = `[${p.done}/${p.planned}${eta}] ${p.message}`;
        if (io.isTty) io.err(`\r\x1b[2K${line}`);
        else if (line !== lastProgress) io.err(`${line}\n`);
        lastProgress = line;
      },
      onCell: (outcome) => {
        if (io.isTty) io.err('\r\x1b[2K');
        if (!global.json) io.out(`${outcomeLine(outcome)}\n`);
      },
    }));
    if (runLog.kind === 'failed') throw runLog.error;
    if (global.json) {
      io.out(JSON.stringify({ runId: run.runId, network: run.plan.network, outcomes: run.outcomes }, null, 2) + '\n');
    } else {
      io.out(`Stored in ${resultsFilePath(dirname(lab.path))} (run ${run.runId}). Network: ${run.plan.network}.\n`);
    }
    return run.outcomes.some((o) => o.status === 'failed') ? 1 : 0;
  },
});
