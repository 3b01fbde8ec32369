/**
 * The COLO status panel's webview (bundle dist/colo.js): receives the view model from the
 * extension (colo/protocol.ts, `ToColoWebview`), draws it (the cost chart with Chart.js,
 * shared/charts.ts), and sends Refresh and Fail Over.
 * The last model is kept with `setState`: a hidden-and-shown panel draws at once, and after a
 * window reload the extension finds the VM again from it (`labPath`, `vmName`).
 */
import { PanelCharts } from '../shared/charts';
import { isRecord } from '../shared/guards';
import { currentPalette } from '../shared/panel-shell';
import { COST_CHART_ID, costChartConfig } from './chart-config';
import { runPanel } from '../shared/panel-main';
import { PANEL_CSS } from '../shared/styles';
import { isColoViewModel, type ColoViewModel } from './model';
import { COLO_PROTOCOL } from './protocol';
import { COLO_CSS } from './styles';
import { renderColo } from './view';

/** What survives the webview being hidden, and a window reload (the serializer reads `model`). */
interface PanelState {
  readonly model?: ColoViewModel;
}

runPanel({
  name: 'COLO',
  protocol: COLO_PROTOCOL,
  css: PANEL_CSS + COLO_CSS,
  restore: (saved): PanelState => (isRecord(saved) && isColoViewModel(saved.model) ? { model: saved.model } : {}),
  // The cost chart is on a canvas, which does not follow CSS.
  redrawOnThemeChange: true,
  start: (page) => {
    const content = document.createElement('main');
    document.body.replaceChildren(content);
    const charts = new PanelCharts();
    const draw = (): void => {
      const model = page.state().model;
      if (model === undefined) {
        charts.destroy();
        content.replaceChildren(Object.assign(document.createElement('p'), { className: 'hint', textContent: 'Reading the COLO pair…' }));
        return;
      }
      const slot = renderColo(content, model, {
        refresh: () => page.post({ type: 'refresh' }),
        failOver: () => page.post({ type: 'failOver' }),
      });
      const palette = currentPalette();
      charts.drawAll(slot === undefined ? [] : [{ id: COST_CHART_ID, canvas: slot.canvas, config: costChartConfig(slot.cost, palette) }], palette, (id, error) =>
        page.log('error', `chart ${id} could not be drawn: ${error instanceof Error ? error.message : String(error)}`),
      );
    };
    return {
      draw,
      handlers: {
        colo: (message) => {
          page.save({ model: message.model });
          draw();
        },
      },
    };
  },
});
