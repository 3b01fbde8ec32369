import { relative, resolve } from 'node:path';
import { DEFAULT_COST_SECONDS } from '../../core/colo/cost';
import { formatEta } from '../../core/lab-run/eta';
import type { PartOutcome } from '../../core/lab-run/outcome';
import { labParts, selectParts } from '../../core/lab-run/parts';
import { runLab } from '../../core/lab-run/run-lab';
import { stateRoot } from '../../core/machines/vm/run-dir';
import { defineCommand } from '../command-spec';
import { UsageError } from '../io';
import { loadLabOrFail } from '../load-lab';
import { withVmDependencies } from '../vm-context';

function outcomeLine(outcome: PartOutcome, runs: number): string {
  const run = runs > 1 ? ` (run ${outcome.run})` : '';
  const words = outcome.status === 'done' ? 'done' : `${outcome.status === 'skipped' ? 'not run here' : 'failed'}: ${outcome.reason ?? ''}`;
  return `${`${outcome.key}${run}`.padEnd(32)} ${words} (${formatEta(outcome.seconds)})`;
}

/**
 * `qemu-lab run [--only PART] [--runs N] [--colo-seconds S] [-o DIR]`: every experiment, migration (with its
 * `during:` benchmarks) and COLO pair of the lab, one after another, with progress and an ETA
 * for the whole run, then one report (Markdown with SVG charts, and HTML) with a section per
 * part. `--only` reruns one part into the same report.
 */
export const runCommand = defineCommand({
  name: 'run',
  options: {
    only: { value: 'PART', complete: 'part', help: 'run only this part (experiment:NAME, migration:NAME, colo:VM, or a name only one part has); the report keeps the others' },
    runs: { value: 'N', help: 'whole runs of every part (default 1); the report states the spread between them' },
    'colo-seconds': { value: 'S', help: `how long each sysbench run of a COLO pair's cost takes, without and with COLO (default ${DEFAULT_COST_SECONDS})` },
    output: { value: 'DIR', short: 'o', complete: 'file', help: 'the report\'s folder (default .qemu-lab/reports/ next to the lab file)' },
  },
  summary: 'run every experiment, migration and COLO pair of the lab; one report (md + html), a section per part',
  example: ['qemu-lab -f examples/course-report.qemu-lab.yaml run', 'qemu-lab run --only migration:move-vm1 -o report/'],
  async run({ values }, global, io) {
    const runs = values.runs === undefined ? 1 : Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new UsageError('--runs takes a whole number from 1 to 100.');
    const coloSeconds = values['colo-seconds'] === undefined ? DEFAULT_COST_SECONDS : Number(values['colo-seconds']);
    if (!Number.isInteger(coloSeconds) || coloSeconds < 1 || coloSeconds > 600) throw new UsageError('--colo-seconds takes a whole number of seconds from 1 to 600.');
    const lab = await loadLabOrFail(global.file, io);
    const output = values.output === undefined ? undefined : resolve(io.cwd, values.output);
    const done = await withVmDependencies(lab, global, io, async (deps) => {
      const firstVm = [...lab.experiments.values()][0]?.vm ?? [...lab.vms.keys()][0];
      const host = (firstVm === undefined ? undefined : lab.vms.get(firstVm)?.host) ?? 'local';
      const parts = labParts(lab, await deps.kvm(deps.backend.systemOf({ host })), coloSeconds);
      const chosen = selectParts(parts, values.only);
      if (!chosen.ok) throw new UsageError(`--only: ${chosen.message}.`);
      if (chosen.parts.length === 0) throw new UsageError('This lab declares no experiment, migration or COLO pair (faultTolerance) to run.');
      const total = chosen.parts.reduce((sum, p) => sum + p.estimateSeconds, 0) * runs;
      io.err(`Running ${chosen.parts.length} part${chosen.parts.length === 1 ? '' : 's'}${runs > 1 ? ` ${runs} times` : ''}: ${chosen.parts.map((p) => p.key).join(', ')} (about ${formatEta(total)} by the declared durations).\n`);
      let last = '';
      return runLab(lab, deps, {
        parts,
        run: chosen.parts,
        runs,
        outputDirectory: output,
        stateRoot: stateRoot(io.env),
        remoteStateRoot: io.env.QEMU_LAB_REMOTE_STATE_DIR,
        coloCostSeconds: coloSeconds,
        signal: io.signal,
        onProgress: (p) => {
          const line = `[${p.done + 1}/${p.total}, ~${formatEta(p.etaSeconds)} left] ${p.text}`;
          if (io.isTty) io.err(`\r\x1b[2K${line.slice(0, 160)}`);
          else if (line !== last) io.err(`${line}\n`);
          last = line;
        },
        onPart: (outcome) => {
          if (io.isTty) io.err('\r\x1b[2K');
          if (!global.json) io.out(`${outcomeLine(outcome, runs)}\n`);
        },
        onStoreProblem: (problem) => io.err(`a stored line ${problem.line} skipped: ${problem.message}\n`),
      });
    });
    const shown = (path: string) => relative(io.cwd, path) || path;
    if (global.json) io.out(`${JSON.stringify({ report: { markdown: done.markdownPath, html: done.htmlPath }, record: done.statePath, outcomes: done.outcomes }, null, 2)}\n`);
    else io.out(`Report written: ${shown(done.markdownPath)} and ${shown(done.htmlPath)}\n`);
    return done.outcomes.some((o) => o.status === 'failed') ? 1 : 0;
  },
});
