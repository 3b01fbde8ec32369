/** Pure parsers of QEMU's job replies and events (`query-jobs`, `JOB_STATUS_CHANGE`). */

/** A job as `query-jobs` reports it. */
export interface JobInfo {
  readonly id: string;
  readonly type: string;
  /** `created`, `running`, …, `concluded`, `null` (dismissed). */
  readonly status: string;
  /** QEMU's own words when the job failed; absent when it succeeded. */
  readonly error: string | undefined;
}

/** The jobs of a `query-jobs` reply; entries of another shape are skipped. */
export function parseQueryJobs(reply: unknown): JobInfo[] {
  if (!Array.isArray(reply)) return [];
  const jobs: JobInfo[] = [];
  for (const entry of reply) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { id, type, status, error } = entry as Record<string, unknown>;
    if (typeof id !== 'string' || typeof status !== 'string') continue;
    jobs.push({ id, type: typeof type === 'string' ? type : '', status, error: typeof error === 'string' ? error : undefined });
  }
  return jobs;
}

/** The job id and new status of a `JOB_STATUS_CHANGE` event's data; undefined for another shape. */
export function jobStatusChange(data: unknown): { readonly id: string; readonly status: string } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { id, status } = data as Record<string, unknown>;
  return typeof id === 'string' && typeof status === 'string' ? { id, status } : undefined;
}
