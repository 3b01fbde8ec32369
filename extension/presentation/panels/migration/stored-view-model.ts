/**
 * The migration panel's model for a stored migration ("QEMU Lab: Show Migrations"): the record's
 * summary and, when it was stored with one, its timeline — the same charts as while it ran. A
 * record from before timelines were kept shows its summary alone, and says why. Pure.
 */
import type { MigrationTimeline } from '../../../core/migration/during/timeline';
import { TIMELINE_SCHEMA } from '../../../core/migration/during/timeline';
import { describeLocation } from '../../../core/migration/location';
import type { MigrationRecord } from '../../../core/migration/store';
import type { MigrationComparison } from '../../../core/measuring/reports/migration-comparison';
import { formatStoredTime } from '../../../core/measuring/reports/migration-comparison-table';
import type { MigrationViewModel } from '../../../../webview/migration/model';
import { buildMigrationViewModel } from './view-model';

/** A timeline with nothing on it: the summary alone is shown. */
function emptyTimeline(origin: string): MigrationTimeline {
  return { schema: TIMELINE_SCHEMA, origin, phases: [], progress: [], migration: undefined, switchoverMs: undefined, baseline: undefined, during: undefined, plan: undefined, streams: [] };
}

/** The panel's model of a stored record, with the comparison of its VM's migrations when given. */
export function storedMigrationViewModel(record: MigrationRecord, comparison?: MigrationComparison): MigrationViewModel {
  const summary = record.summary;
  const ended = `Stored migration, ended ${formatStoredTime(record.timestamp)}.`;
  const charted = record.timeline !== undefined && record.timeline.progress.length > 0;
  return buildMigrationViewModel(
    { vm: summary.vm, from: describeLocation(summary.from), to: describeLocation(summary.to) },
    {
      state: summary.status,
      timeline: record.timeline ?? emptyTimeline(summary.startedAt),
      summary,
      ...(summary.status === 'completed' || summary.error === undefined ? {} : { error: summary.error }),
      note: charted ? ended : `${ended} No progress samples were stored with it (records from before timelines were kept have none), so the summary is shown alone.`,
      ...(comparison === undefined ? {} : { comparison }),
    },
  );
}
