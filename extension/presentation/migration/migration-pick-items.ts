/**
 * The quick-pick rows of "QEMU Lab: Show Migrations": one per stored migration, newest first —
 * VM and route as the label, status and settings as the description, when it ended and its
 * numbers as the detail. Pure (no `vscode`): unit-tested.
 */
import { formatDuration } from '../../core/migration/format';
import { describeLocation } from '../../core/migration/location';
import type { MigrationRecord } from '../../core/migration/store';
import { formatSize } from '../../core/lab/sizes';
import { settingsLabel } from '../../core/measuring/reports/migration-comparison';
import { formatStoredTime } from '../../core/measuring/reports/migration-comparison-table';

/** A row of the quick pick, carrying its record. */
export interface MigrationPickItem {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly record: MigrationRecord;
}

function numbers(record: MigrationRecord): string {
  const s = record.summary;
  const parts = [
    s.totalTimeMs === undefined ? `${formatDuration(s.wallTimeMs)} wall` : `${formatDuration(s.totalTimeMs)} total`,
    s.downtimeMs === undefined ? undefined : `${s.downtimeMs} ms downtime`,
    s.ram.transferredBytes === undefined ? undefined : `${formatSize(s.ram.transferredBytes)} sent`,
    record.timeline === undefined ? 'summary only' : undefined,
  ];
  return parts.filter((p): p is string => p !== undefined).join(', ');
}

/** The rows, newest first. */
export function migrationPickItems(records: readonly MigrationRecord[]): MigrationPickItem[] {
  return [...records]
    .sort((a, b) => b.timestamp.localeCompare(a.timestamp))
    .map((record) => {
      const s = record.summary;
      return {
        label: `${s.vm}: ${describeLocation(s.from)} → ${describeLocation(s.to)}`,
        description: `${s.status} · ${settingsLabel(s.settings)}`,
        detail: `${formatStoredTime(record.timestamp)} · ${numbers(record)}`,
        record,
      };
    });
}
