/**
 * Migration progress, findings and summaries as text for people (the CLI, the editor's log).
 */
import { formatSize } from '../lab/sizes';
import type { NonConvergence } from './convergence';
import type { DiskCopyProgress } from './disk-copy';
import { describeLocation } from './location';
import type { MigrationProgress } from './progress';
import type { MigrationSummary } from './summary';

/** Milliseconds as `850 ms`, `12.3 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

const rate = (bytesPerSecond: number | undefined): string => (bytesPerSecond === undefined ? '-' : `${formatSize(Math.round(bytesPerSecond))}/s`);
const size = (bytes: number | undefined): string => (bytes === undefined ? '-' : formatSize(bytes));

/** One progress sample in a line: status, time, sent, remaining, dirty rate, link rate, syncs. */
export function formatProgressLine(vm: string, p: MigrationProgress): string {
  const parts = [
    `${vm}: ${p.status}`,
    p.elapsedMs === undefined ? undefined : formatDuration(p.elapsedMs),
    `sent ${size(p.transferredBytes)}`,
    `remaining ${size(p.remainingBytes)}`,
    `dirty ${rate(p.dirtyBytesPerSecond)}`,
    `link ${rate(p.throughputBytesPerSecond)}`,
    p.dirtySyncCount === undefined ? undefined : `sync ${p.dirtySyncCount}`,
    p.cpuThrottlePercentage === undefined ? undefined : `throttle ${p.cpuThrottlePercentage}%`,
    p.expectedDowntimeMs === undefined ? undefined : `expected downtime ${p.expectedDowntimeMs} ms`,
  ];
  return parts.filter((x) => x !== undefined).join('  ');
}

/** A non-convergence finding with its fixes and their trade-offs. */
export function formatNonConvergence(finding: NonConvergence): string {
  const lines = [finding.message, 'Fixes, and what they cost:'];
  for (const fix of finding.fixes) lines.push(`  - ${fix.fix}: ${fix.how}. Trade-off: ${fix.tradeOff}.`);
  return lines.join('\n');
}

/** The settings a summary used, in a line. */
export function formatSettings(summary: MigrationSummary): string {
  const s = summary.settings;
  const parts = [
    `capabilities ${s.capabilities.length === 0 ? 'none' : s.capabilities.join(', ')}`,
    s.maxBandwidthBytesPerSecond === undefined ? undefined : `max-bandwidth ${rate(s.maxBandwidthBytesPerSecond)}`,
    s.downtimeLimitMs === undefined ? undefined : `downtime-limit ${s.downtimeLimitMs} ms`,
    s.xbzrleCacheBytes === undefined ? undefined : `xbzrle cache ${size(s.xbzrleCacheBytes)}`,
    s.multifdChannels === undefined ? undefined : `multifd channels ${s.multifdChannels}`,
  ];
  return parts.filter((x) => x !== undefined).join('; ');
}

/** A summary in a few lines. */
export function formatSummary(summary: MigrationSummary): string {
  const route = `from ${describeLocation(summary.from)} to ${describeLocation(summary.to)}`;
  const head =
    summary.status === 'completed'
      ? `${summary.vm} migrated ${route} in ${formatDuration(summary.wallTimeMs)}`
      : `${summary.vm} did not migrate ${route} (${summary.status} in ${summary.phase}; rolled back)`;
  const lines = [head + '.'];
  if (summary.totalTimeMs !== undefined) {
    const qemu = [`${formatDuration(summary.totalTimeMs)} total`];
    if (summary.downtimeMs !== undefined) qemu.push(`${summary.downtimeMs} ms downtime`);
    if (summary.setupTimeMs !== undefined) qemu.push(`${summary.setupTimeMs} ms setup`);
    lines.push(`  QEMU: ${qemu.join(', ')}${summary.switchedToPostcopy ? ', switched to postcopy' : ''}.`);
    const pages = summary.pages;
    lines.push(
      `  RAM: ${size(summary.ram.transferredBytes)} sent of ${size(summary.ram.totalBytes)} (${pages.normal ?? '-'} pages whole, ${pages.duplicate ?? '-'} zero pages), ` +
        `${rate(summary.throughputBytesPerSecond)}, ${summary.dirtySyncCount ?? '-'} dirty syncs` +
        `${summary.maxCpuThrottlePercentage === undefined ? '' : `, vCPUs throttled up to ${summary.maxCpuThrottlePercentage}%`}.`,
    );
  }
  const disk = summary.disk;
  if (disk?.storage === 'shared') lines.push('  Disk: shared storage (the destination opened the same file).');
  else if (disk !== undefined) {
    const what = disk.sync === 'full' ? 'the whole disk' : 'its overlay (the base image is on both hosts)';
    lines.push(`  Disk: copied ${what}${disk.copiedBytes === undefined ? '' : `, ${size(disk.copiedBytes)}${disk.copyMs === undefined ? '' : ` in ${formatDuration(disk.copyMs)}`}`} before memory.`);
  }
  lines.push(`  Settings: ${formatSettings(summary)}.`);
  if (summary.status === 'completed' && summary.ssh !== undefined) lines.push(`  SSH: root@${summary.ssh.host} -p ${summary.ssh.port} on ${summary.to.host}.`);
  return lines.join('\n');
}

/** One line of the disk copy's progress: `vm1: copy 120 MiB of 400 MiB (30%)`, then `…, in step`. */
export function formatDiskCopyLine(vm: string, progress: DiskCopyProgress): string {
  const share = progress.totalBytes > 0 ? ` (${Math.floor((progress.copiedBytes * 100) / progress.totalBytes)}%)` : '';
  return `${vm}: copy ${size(progress.copiedBytes)} of ${size(progress.totalBytes)}${share}${progress.ready ? ', in step' : ''}`;
}
