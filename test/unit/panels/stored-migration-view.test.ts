import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MigrationRecord } from '../../../extension/core/migration/store';
import { compareMigrations } from '../../../extension/core/measuring/reports/migration-comparison';
import { migrationPickItems } from '../../../extension/presentation/migration/migration-pick-items';
import { buildComparisonView } from '../../../extension/presentation/panels/migration/comparison-view-model';
import { storedMigrationViewModel } from '../../../extension/presentation/panels/migration/stored-view-model';
import { isMigrationViewModel } from '../../../webview/migration/model';
import { comparisonChartConfig, labelLines } from '../../../webview/migration/comparison-chart-config';
import { isToMigrationWebview } from '../../../webview/migration/protocol';
import { readPalette } from '../../../webview/shared/theme';

// Real records of `qemu-lab migrate` under a dirtying guest (test/fixtures/migration-store/SOURCES.md).
const records = readFileSync(join(__dirname, '../../fixtures/migration-store/dirty-settings.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as MigrationRecord);
const autoConverge = records[2] as MigrationRecord;
const failed = records[4] as MigrationRecord;
const comparison = compareMigrations(records, 'vm1');

describe('a stored migration in the migration panel', () => {
  it('charts its stored timeline and says when it ended; nothing to cancel', () => {
    const model = storedMigrationViewModel(autoConverge, comparison);
    expect(isMigrationViewModel(JSON.parse(JSON.stringify(model)))).toBe(true);
    expect(model).toMatchObject({ title: 'vm1: local (slot c) → local (slot b)', state: 'completed', cancellable: false });
    expect(model.status).toMatch(/^Completed in 33\.4 s, 1020 ms downtime/);
    expect(model.note).toBe('Stored migration, ended 2026-11-26 01:36:56 UTC.');
    expect(model.progress.find((s) => s.id === 'remaining')?.points.length).toBeGreaterThan(20);
    expect(model.facts.find((f) => f.name === 'vCPU throttle (auto-converge)')?.value).toBe('up to 99%');
  });

  it('shows a record without a timeline (older records) as its summary alone, and says why', () => {
    const { timeline: _dropped, ...old } = autoConverge;
    const model = storedMigrationViewModel(old);
    expect(isMigrationViewModel(model)).toBe(true);
    expect(model.progress.every((s) => s.points.length === 0)).toBe(true);
    expect(model.markers).toEqual([]);
    expect(model.note).toMatch(/No progress samples were stored with it .* the summary is shown alone\./);
    expect(model.facts.find((f) => f.name === 'Downtime')?.value).toBe('1020 ms');
    expect(model.comparison).toBeUndefined();
  });

  it('shows why a failed one failed', () => {
    const model = storedMigrationViewModel(failed, comparison);
    expect(model.state).toBe('failed');
    expect(model.status).toBe('Failed in perform; rolled back: the VM runs on local as before.');
    expect(model.error).toBe('The migration did not finish within 15 s and was cancelled.');
  });

  it('carries the comparison tab, which the protocol accepts', () => {
    const model = storedMigrationViewModel(autoConverge, comparison);
    expect(isToMigrationWebview({ type: 'migration', model })).toBe(true);
    expect(isToMigrationWebview({ type: 'migration', model: { ...model, comparison: { ...model.comparison, charts: [{ id: 'x' }] } } })).toBe(false);
  });
});

describe('the "Compare settings" tab', () => {
  const view = buildComparisonView(comparison);

  it('charts total time (s), downtime (ms) and RAM (MiB) of the groups that completed, and lists the rest', () => {
    expect(view.charts.map((c) => [c.id, c.unit, c.bars.length])).toEqual([
      ['totalTime', 's', 4],
      ['downtime', 'ms', 4],
      ['transferred', 'MiB', 4],
    ]);
    const total = view.charts[0];
    expect(total?.bars.find((b) => b.label === 'default · 128 MiB/s · 300 ms')).toEqual({ label: 'default · 128 MiB/s · 300 ms', median: 2.079, min: 1.624, max: 2.534, count: 2 });
    expect(total?.bars.some((b) => b.label === 'default · 32 MiB/s · 300 ms')).toBe(false);
    expect(view.rows).toHaveLength(6);
    expect(view.migrations).toBe(records.length);
    expect(view.notCompleted.map((n) => n.status)).toEqual(['failed in perform', 'failed in perform']);
    expect(view.notCompleted[0]?.reason).toMatch(/within 60 s/);
  });

  it('draws a bar per group, whiskers only where several runs, each group in one colour on every chart', () => {
    const palette = readPalette(() => '');
    const groups = view.rows.map((r) => r.settings);
    const [total, downtime] = view.charts.map((c) => comparisonChartConfig(c, groups, palette));
    expect(total?.type).toBe('bar');
    expect(total?.data.labels?.[0]).toEqual(['default', '128 MiB/s', '300 ms']);
    expect(total?.data.datasets[0]?.data).toEqual([2.079, 33.139, 4.688, 4.449]);
    expect(total?.data.datasets[0]?.backgroundColor).toEqual(downtime?.data.datasets[0]?.backgroundColor);
    expect(labelLines('postcopy · 32 MiB/s · 300 ms')).toEqual(['postcopy', '32 MiB/s', '300 ms']);
  });
});

describe('the Show Migrations quick pick', () => {
  it('lists every stored migration newest first: VM, route, status, settings, when, numbers', () => {
    const items = migrationPickItems(records);
    expect(items).toHaveLength(records.length);
    expect(items.map((i) => i.record.timestamp)).toEqual([...records].map((r) => r.timestamp).sort().reverse());
    const auto = items.find((i) => i.record === autoConverge);
    expect(auto).toMatchObject({
      label: 'vm1: local (slot c) → local (slot b)',
      description: 'completed · auto-converge · 128 MiB/s · 300 ms',
      detail: '2026-11-26 01:36:56 UTC · 33.1 s total, 1020 ms downtime, 3.8G sent',
    });
    const { timeline: _dropped, ...old } = autoConverge;
    expect(migrationPickItems([old])[0]?.detail).toMatch(/, summary only$/);
  });
});
