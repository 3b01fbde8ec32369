/**
 * A migration's progress and outcome in the few words a notification has room for (the editor's
 * "Migrate VM…"); the CLI's full lines are core's `formatProgressLine` and `formatSummary`.
 */
import { formatDuration } from '../../core/migration/format';
import type { MigrationProgress } from '../../core/migration/progress';
import type { MigrationSummary } from '../../core/migration/summary';

/** `active 12.3 s · 512 MiB left · pass 3`. */
export function progressWords(p: MigrationProgress): string {
  const remaining = p.remainingBytes === undefined ? '' : ` · ${remainingWords(p.remainingBytes)}`;
  const sync = p.dirtySyncCount === undefined ? '' : ` · pass ${p.dirtySyncCount}`;
  return `${p.status}${p.elapsedMs === undefined ? '' : ` ${formatDuration(p.elapsedMs)}`}${remaining}${sync}`;
}

/** `310 MiB left`: the RAM still to send. */
export function remainingWords(remainingBytes: number): string {
  return `${(remainingBytes / 1048576).toFixed(0)} MiB left`;
}

/** `vm1 migrated to lab-b in 4.2 s, 38 ms downtime.` */
export function migratedWords(name: string, summary: MigrationSummary): string {
  const downtime = summary.downtimeMs === undefined ? '' : `, ${summary.downtimeMs} ms downtime`;
  return `${name} migrated to ${summary.to.host} in ${formatDuration(summary.wallTimeMs)}${downtime}.`;
}
