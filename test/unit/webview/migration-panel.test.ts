import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { MigrationTimeline } from '../../../extension/core/migration/during/timeline';
import type { MigrationRecord } from '../../../extension/core/migration/store';
import { buildMigrationViewModel } from '../../../extension/presentation/panels/migration/view-model';
import { duringChartConfig, migrationChartConfig, timeAnnotationsPlugin } from '../../../webview/migration/chart-config';
import { isFromMigrationWebview, isToMigrationWebview, MIGRATION_PROTOCOL, type FromMigrationWebview, type ToMigrationWebview } from '../../../webview/migration/protocol';
import { extensionEndpoint, webviewEndpoint } from '../../../webview/shared/protocol';
import { readPalette } from '../../../webview/shared/theme';

const record = JSON.parse(readFileSync(join(__dirname, '../../fixtures/during/migration-record-during.json'), 'utf8')) as MigrationRecord;
const model = buildMigrationViewModel({ vm: 'vm1', from: 'local', to: 'local' }, { state: 'completed', timeline: record.timeline as MigrationTimeline, summary: record.summary });
const palette = readPalette(() => '');

describe('migration panel protocol', () => {
  it('accepts the model and the panel\'s messages, and nothing malformed', () => {
    expect(isToMigrationWebview({ type: 'migration', model })).toBe(true);
    expect(isToMigrationWebview({ type: 'migration', model: { ...model, xMin: 'soon' } })).toBe(false);
    expect(isToMigrationWebview({ type: 'migration', model: { ...model, progress: [{ id: 'remaining', label: 'x', axis: 'mib', points: [{ x: 1, y: null }] }] } })).toBe(false);
    expect(isToMigrationWebview({ type: 'show', model })).toBe(false);
    expect(isFromMigrationWebview({ type: 'ready' })).toBe(true);
    expect(isFromMigrationWebview({ type: 'cancelMigration' })).toBe(true);
    expect(isFromMigrationWebview({ type: 'log', level: 'warn', message: 'x' })).toBe(true);
    expect(isFromMigrationWebview({ type: 'log', level: 'info', message: 'x' })).toBe(false);
    expect(isFromMigrationWebview({ type: 'exportCsv' })).toBe(false);
  });

  it('passes well-formed messages between the ends and drops the rest with a log line', async () => {
    const toWebview: ToMigrationWebview[] = [];
    const received: FromMigrationWebview[] = [];
    const problems: string[] = [];
    const extension = extensionEndpoint(MIGRATION_PROTOCOL, (m) => void received.push(m), (m) => toWebview.push(m), (p) => problems.push(p));
    const seen = vi.fn();
    const webview = webviewEndpoint(MIGRATION_PROTOCOL, seen, () => undefined);
    extension.post({ type: 'migration', model });
    await webview.receive(JSON.parse(JSON.stringify(toWebview[0])));
    expect(seen).toHaveBeenCalledWith(expect.objectContaining({ type: 'migration' }));
    await extension.receive({ type: 'cancelMigration' });
    await extension.receive({ type: 'cancelMigration', extra: 1 });
    await extension.receive({ type: 'selectRun', runId: 'x' });
    expect(received).toEqual([{ type: 'cancelMigration' }, { type: 'cancelMigration', extra: 1 }]);
    expect(problems).toEqual([expect.stringMatching(/ignored a malformed message: a "selectRun" message/)]);
  });
});

describe('migration chart configs', () => {
  const migration = migrationChartConfig(model, palette);
  const during = duringChartConfig(model, palette);

  it('draw both charts over the same seconds, so they line up', () => {
    const x1 = migration.options?.scales?.x as { min: number; max: number; type: string };
    const x2 = during.options?.scales?.x as { min: number; max: number; type: string };
    expect(x1).toMatchObject({ type: 'linear', min: model.xMin, max: model.xMax });
    expect(x2).toMatchObject({ type: 'linear', min: model.xMin, max: model.xMax });
  });

  it('give each quantity its axis: MiB, MiB/s, passes (stepped)', () => {
    const datasets = migration.data.datasets;
    expect(datasets.map((d) => d.yAxisID)).toEqual(['yMib', 'yRate', 'yRate', 'yPasses']);
    expect(datasets[3]?.stepped).toBe('before');
    expect(Object.keys(migration.options?.scales ?? {}).sort()).toEqual(['x', 'yMib', 'yPasses', 'yRate']);
    expect(datasets[0]?.data.at(-1)).toEqual(model.progress[0]?.points.at(-1));
  });

  it('draw the baseline dashed in the colour of its benchmark', () => {
    const datasets = during.data.datasets;
    expect(datasets).toHaveLength(6);
    expect(datasets[0]?.borderDash).toEqual([6, 4]);
    expect(datasets[3]?.borderDash).toEqual([]);
    expect(datasets[0]?.borderColor).toBe(datasets[3]?.borderColor);
    expect(datasets[0]?.borderColor).not.toBe(datasets[1]?.borderColor);
  });

  it('draw markers and bands in axis units, skipping what is off the chart', () => {
    const calls: string[] = [];
    const ctx = new Proxy(
      {},
      {
        get: (_t, name) =>
          name === 'font' || name === 'fillStyle' || name === 'strokeStyle' || name === 'globalAlpha' || name === 'lineWidth'
            ? undefined
            : name === 'measureText'
              ? (text: string) => ({ width: text.length * 6 })
              : (...args: unknown[]) => void calls.push(`${String(name)}(${args.join(',')})`),
        set: () => true,
      },
    );
    const chart = { ctx, chartArea: { left: 0, right: 100, top: 0, bottom: 50 }, scales: { x: { getPixelForValue: (v: number) => v * 10 } } };
    const plugin = timeAnnotationsPlugin([{ x: 2, label: 'switch-over', kind: 'switchover' }, { x: 50, label: 'off', kind: 'phase' }], [{ from: 1, to: 3, label: 'migration' }], palette);
    (plugin.beforeDatasetsDraw as (c: unknown) => void)(chart);
    (plugin.afterDatasetsDraw as (c: unknown) => void)(chart);
    expect(calls).toContain('fillRect(10,0,20,50)');
    expect(calls).toContain('fillText(switch-over,23,24)');
    expect(calls.some((c) => c.startsWith('fillText(off'))).toBe(false);
  });
});
