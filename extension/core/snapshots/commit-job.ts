/**
 * An active `block-commit` as QEMU runs it: the job copies the top layer into the node under it
 * while the guest keeps writing (to both), reports `ready` in a `JOB_STATUS_CHANGE` event once
 * they agree, and on `job-complete` switches the guest to that node and concludes. With
 * `auto-dismiss: false` its error (if any) is read from `query-jobs`, then `job-dismiss` removes it.
 */
import type { QmpValue } from '../infrastructure/qmp/messages';
import { SnapshotJobError } from './errors';
import { jobStatusChange, parseQueryJobs } from './job-parsers';
import type { JobMonitor } from './snapshot-job';

let jobCounter = 0;

/** A job id no other client of this QEMU uses at the same moment. */
export function newCommitJobId(): string {
  jobCounter += 1;
  return `qemu-lab-commit-${process.pid}-${Date.now()}-${jobCounter}`;
}

/**
 * Runs the commit job that `args` (see commitArgs in layer-args.ts) starts to its end.
 *
 * @throws SnapshotJobError with QEMU's words when the job failed (the guest then still writes to the layer).
 * @throws QmpTimeoutError when it is neither ready nor over in time (it goes on in QEMU).
 */
export async function runCommitJob(qmp: JobMonitor, args: Record<string, QmpValue> & { readonly 'job-id': string }, options: { readonly timeoutMs: number; readonly failureHint: string }): Promise<void> {
  const id = args['job-id'];
  // Subscribe before starting it: the job may be ready before the command's reply is read.
  const listener = qmp.listen(['JOB_STATUS_CHANGE'], (event) => jobStatusChange(event.data)?.id === id);
  try {
    await qmp.execute('block-commit', args);
    const deadline = Date.now() + options.timeoutMs;
    let completing = false;
    for (;;) {
      const status = jobStatusChange((await listener.next(Math.max(1, deadline - Date.now()))).data)?.status;
      if (status === 'ready' && !completing) {
        completing = true;
        await qmp.execute('job-complete', { id });
      }
      if (status === 'concluded' || status === 'null') break;
    }
  } finally {
    listener.dispose();
  }
  const job = parseQueryJobs(await qmp.execute('query-jobs')).find((entry) => entry.id === id);
  if (job === undefined) return;
  await qmp.execute('job-dismiss', { id });
  if (job.error !== undefined) throw new SnapshotJobError('block-commit', job.error, { hint: options.failureHint });
}
