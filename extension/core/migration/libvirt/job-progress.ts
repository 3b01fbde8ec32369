/**
 * A libvirt migration job (`virsh domjobinfo`) as the same progress sample a direct migration
 * reads from QMP's `query-migrate`: the live panel, `--json` and the summary take both. Pure.
 */
import type { DomainJob } from '../../infrastructure/libvirt/virsh-parsers';
import type { MigrationProgress } from '../progress';

/** libvirt's job types as QEMU's migration statuses. */
function statusOf(type: string): string {
  switch (type) {
    case 'Unbounded':
    case 'Bounded':
      return 'active';
    case 'Completed':
      return 'completed';
    case 'Failed':
      return 'failed';
    case 'Cancelled':
      return 'cancelled';
    default:
      return 'none';
  }
}

/** The progress sample of a job (see the file comment); what libvirt does not say stays undefined. */
export function progressOfDomainJob(job: DomainJob): MigrationProgress {
  const pageSize = job.pageSize;
  const dirty = job.dirtyRatePagesPerSecond;
  const compression = job.compression;
  return {
    status: statusOf(job.type),
    elapsedMs: job.elapsedMs,
    setupTimeMs: job.setupTimeMs,
    downtimeMs: job.downtimeMs,
    expectedDowntimeMs: job.expectedDowntimeMs,
    totalBytes: job.memoryTotalBytes ?? job.dataTotalBytes,
    transferredBytes: job.memoryProcessedBytes ?? job.dataProcessedBytes,
    remainingBytes: job.memoryRemainingBytes ?? job.dataRemainingBytes,
    dirtyPagesPerSecond: dirty,
    dirtyBytesPerSecond: dirty === undefined ? undefined : dirty * (pageSize ?? 4096),
    throughputBytesPerSecond: job.memoryBandwidthBytesPerSecond,
    dirtySyncCount: job.iteration,
    pageSize,
    normalPages: job.normalPages,
    duplicatePages: job.constantPages,
    skippedPages: undefined,
    postcopyRequests: job.postcopyRequests,
    postcopyBytes: undefined,
    multifdBytes: undefined,
    cpuThrottlePercentage: job.autoConvergeThrottlePercent,
    xbzrle:
      compression === undefined
        ? undefined
        : {
            cacheBytes: compression.cacheBytes ?? 0,
            encodedBytes: compression.compressedBytes ?? 0,
            pages: compression.pages ?? 0,
            cacheMisses: compression.cacheMisses ?? 0,
            cacheMissRate: 0,
            overflows: compression.overflows ?? 0,
          },
    errorDescription: undefined,
  };
}
