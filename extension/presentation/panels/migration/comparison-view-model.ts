/**
 * The migration panel's "Compare settings" tab from a {@link MigrationComparison}: a bar chart
 * each for total time (s), downtime (ms) and RAM transferred (MiB) — a bar per settings group
 * that has completed runs, its median, whiskers min–max — the table the CLI prints, and the
 * attempts that did not complete, with their reason. Pure: unit-tested.
 */
import type { MigrationComparison, SettingsGroup, Spread } from '../../../core/measuring/reports/migration-comparison';
import { formatBytesSpread, formatDowntimeSpread, formatStoredTime, formatTimeSpread } from '../../../core/measuring/reports/migration-comparison-table';
import type { ComparisonBar, ComparisonChartView, ComparisonView } from '../../../../webview/migration/comparison-model';

const MIB = 1024 * 1024;

function bars(groups: readonly SettingsGroup[], pick: (g: SettingsGroup) => Spread | undefined, scale: number): ComparisonBar[] {
  const out: ComparisonBar[] = [];
  for (const g of groups) {
    const s = pick(g);
    // Only completed runs are charted: a group whose runs all failed has no bar, and is listed instead.
    if (s === undefined) continue;
    const round = (v: number): number => Math.round(v * scale * 1000) / 1000;
    out.push({ label: g.label, median: round(s.median), min: round(s.min), max: round(s.max), count: s.count });
  }
  return out;
}

/** The tab's view. */
export function buildComparisonView(comparison: MigrationComparison): ComparisonView {
  const { groups } = comparison;
  const charts: ComparisonChartView[] = [
    { id: 'totalTime', title: 'Total time (QEMU), s', unit: 's', bars: bars(groups, (g) => g.totalTimeMs, 1 / 1000) },
    { id: 'downtime', title: 'Downtime, ms', unit: 'ms', bars: bars(groups, (g) => g.downtimeMs, 1) },
    { id: 'transferred', title: 'RAM transferred, MiB', unit: 'MiB', bars: bars(groups, (g) => g.transferredBytes, 1 / MIB) },
  ];
  return {
    vm: comparison.vm,
    migrations: groups.reduce((sum, g) => sum + g.completed + g.failed + g.cancelled, 0),
    charts,
    rows: groups.map((g) => ({
      settings: g.label,
      completed: g.completed,
      totalTime: formatTimeSpread(g.totalTimeMs),
      downtime: formatDowntimeSpread(g.downtimeMs),
      transferred: formatBytesSpread(g.transferredBytes),
      failed: g.failed,
      cancelled: g.cancelled,
    })),
    notCompleted: comparison.notCompleted.map((n) => ({
      when: formatStoredTime(n.timestamp),
      settings: n.settingsLabel,
      status: `${n.status} in ${n.phase}`,
      reason: n.reason,
    })),
  };
}
