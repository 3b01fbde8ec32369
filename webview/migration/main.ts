/**
 * The live migration panel's webview (bundle dist/migration.js): receives the view model from
 * the extension (migration/protocol.ts, `ToMigrationWebview`), draws it, and sends Cancel. The
 * last model is kept with `setState`, so when the panel is hidden and shown again — the webview
 * is then reloaded — it draws at once, before the extension answers `ready`.
 */
import { PanelCharts } from '../shared/charts';
import { isRecord } from '../shared/guards';
import { runPanel } from '../shared/panel-main';
import { currentPalette } from '../shared/panel-shell';
import { PANEL_CSS } from '../shared/styles';
import { DURING_CHART_ID, duringChartConfig, migrationChartConfig } from './chart-config';
import { comparisonChartConfig } from './comparison-chart-config';
import { isMigrationViewModel, type MigrationViewModel } from './model';
import { MIGRATION_PROTOCOL } from './protocol';
import { renderMigration, type MigrationTab } from './view';

/** What survives the webview being hidden, and a window reload (the serializer reads `model`). */
interface PanelState {
  readonly model?: MigrationViewModel;
  /** The tab shown; a new model keeps it. */
  readonly tab?: MigrationTab;
}

function restoredState(value: unknown): PanelState {
  if (!isRecord(value) || !isMigrationViewModel(value.model)) return {};
  return { model: value.model, tab: value.tab === 'compare' ? 'compare' : 'migration' };
}

runPanel({
  name: 'migration',
  protocol: MIGRATION_PROTOCOL,
  css: PANEL_CSS,
  restore: restoredState,
  redrawOnThemeChange: true,
  start: (page) => {
    const charts = new PanelCharts();
    const content = document.createElement('main');
    document.body.replaceChildren(content);
    const chartFailed = (id: string, error: unknown): void => page.log('error', `chart ${id} could not be drawn: ${error instanceof Error ? error.message : String(error)}`);

    const draw = (): void => {
      const state = page.state();
      const model = state.model;
      charts.destroy();
      if (model === undefined) {
        content.replaceChildren(Object.assign(document.createElement('p'), { className: 'hint', textContent: 'Waiting for the migration…' }));
        return;
      }
      const slots = renderMigration(
        content,
        model,
        {
          cancel: () => page.post({ type: 'cancelMigration' }),
          selectTab: (tab) => {
            page.save({ ...page.state(), tab });
            draw();
          },
        },
        state.tab,
      );
      const colours = currentPalette();
      for (const slot of slots.migration) {
        charts.draw({ id: slot.id, canvas: slot.canvas, config: slot.id === DURING_CHART_ID ? duringChartConfig(model, colours) : migrationChartConfig(model, colours) }, colours, chartFailed);
      }
      for (const slot of slots.comparison) {
        charts.draw({ id: slot.id, canvas: slot.canvas, config: comparisonChartConfig(slot.view, slot.groups, colours) }, colours, chartFailed);
      }
    };
    return {
      draw,
      handlers: {
        migration: (message) => {
          page.save({ ...page.state(), model: message.model });
          draw();
        },
      },
    };
  },
});
