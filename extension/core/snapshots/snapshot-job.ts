/**
 * One snapshot job, as QEMU (≥ 6.0) runs them: `snapshot-save`, `-load` and `-delete` return at
 * once; the job reports its progress in `JOB_STATUS_CHANGE` events until `concluded`; then
 * `query-jobs` tells whether it failed (its `error`), and `job-dismiss` removes it.
 */
import type { QmpClient } from '../infrastructure/qmp/client';
import { QmpExecuteError } from '../infrastructure/qmp/errors';
import type { QmpValue } from '../infrastructure/qmp/messages';
import { SnapshotJobError, SnapshotUnsupportedError } from './errors';
import { jobStatusChange, parseQueryJobs } from './job-parsers';

/** The snapshot job commands. */
export type SnapshotCommand = 'snapshot-save' | 'snapshot-load' | 'snapshot-delete';

/** What a job needs of the QMP client. */
export type JobMonitor = Pick<QmpClient, 'execute' | 'listen'>;

/** Options of {@link runSnapshotJob}. */
export interface SnapshotJobOptions {
  /** How long the job may run (saving memory under TCG takes seconds per GiB). */
  readonly timeoutMs: number;
  /** What to tell the user when the job fails (the VM's state after that command fails). */
  readonly failureHint: string;
}

let jobCounter = 0;

/** A job id no other client of this QEMU uses at the same moment. */
function newJobId(command: SnapshotCommand): string {
  jobCounter += 1;
  return `qemu-lab-${command}-${process.pid}-${Date.now()}-${jobCounter}`;
}

/**
 * Runs one snapshot job to its end and dismisses it.
 *
 * @throws SnapshotJobError with QEMU's words when the job failed.
 * @throws SnapshotUnsupportedError when this QEMU has no such command (before 6.0).
 * @throws QmpTimeoutError when the job does not conclude in time (it goes on in QEMU).
 */
export async function runSnapshotJob(qmp: JobMonitor, command: SnapshotCommand, args: Record<string, QmpValue>, options: SnapshotJobOptions): Promise<void> {
  const id = newJobId(command);
  // Subscribe before starting it: the job may conclude before the command's reply is read.
  const listener = qmp.listen(['JOB_STATUS_CHANGE'], (event) => jobStatusChange(event.data)?.id === id);
  try {
    try {
      // The job's own bound, not the client's: QEMU 7.2 has been seen (twice, on a loaded
      // machine) to send this reply only after 30 s, once the job had written the memory.
      await qmp.execute(command, { 'job-id': id, ...args }, { timeoutMs: options.timeoutMs });
    } catch (error) {
      if (error instanceof QmpExecuteError && error.errorClass === 'CommandNotFound') {
        throw new SnapshotUnsupportedError(`This QEMU has no ${command} command: snapshot jobs came with QEMU 6.0.`, {
          hint: 'Run the VM on a newer QEMU (qemu-lab qemu install gives a host one).',
        });
      }
      throw error;
    }
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const change = jobStatusChange((await listener.next(Math.max(1, deadline - Date.now()))).data);
      if (change?.status === 'concluded' || change?.status === 'null') break;
    }
  } finally {
    listener.dispose();
  }
  const job = parseQueryJobs(await qmp.execute('query-jobs')).find((entry) => entry.id === id);
  if (job === undefined) return; // Dismissed already (auto-dismiss): it left no error to read.
  await qmp.execute('job-dismiss', { id });
  if (job.error !== undefined) throw new SnapshotJobError(command, job.error, { hint: options.failureHint });
}
