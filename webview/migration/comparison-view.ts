/**
 * The DOM of the migration panel's "Compare settings" tab: a bar chart per quantity (canvases
 * for the caller to draw on), the table of medians per settings group, and the attempts that did
 * not complete with their reason — those are listed, never charted.
 */
import { comparisonChartId } from './comparison-chart-config';
import type { ComparisonChartView, ComparisonView } from './comparison-model';
import { chartCard, el } from '../shared/dom';

/** A canvas and the comparison chart that goes on it. */
export interface ComparisonChartSlot {
  readonly id: string;
  readonly canvas: HTMLCanvasElement;
  readonly view: ComparisonChartView;
  /** The settings labels that have bars, in order (for the colours). */
  readonly groups: readonly string[];
}

function table(head: readonly string[], rows: readonly (readonly (string | number)[])[], className: string): HTMLTableElement {
  return el(
    'table',
    className,
    el('thead', undefined, el('tr', undefined, ...head.map((h) => el('th', undefined, h)))),
    el('tbody', undefined, ...rows.map((row) => el('tr', undefined, ...row.map((v) => el('td', typeof v === 'number' ? 'number' : undefined, String(v)))))),
  );
}

/** The tab's content; pushes the chart slots onto `slots`. */
export function renderComparison(view: ComparisonView, slots: ComparisonChartSlot[]): HTMLElement[] {
  // Colours go to the charted groups only: groups with no completed run have no bar to colour.
  const groups = view.rows.filter((r) => r.completed > 0).map((r) => r.settings);
  const charted = view.charts.filter((c) => c.bars.length > 0);
  const parts: HTMLElement[] = [
    el(
      'p',
      'hint',
      `${view.migrations} stored migration${view.migrations === 1 ? '' : 's'} of ${view.vm}, grouped by their settings (capabilities · max-bandwidth · downtime-limit). Bars: the median of the completed ones. ` +
        'The store does not record what the guest was doing: compare migrations made under the same workload.',
    ),
  ];
  if (charted.length === 0) {
    parts.push(el('p', 'hint', 'No migration of this VM completed yet: nothing to chart.'));
  } else {
    parts.push(
      el(
        'div',
        'charts',
        ...charted.map((chart) => {
          const id = comparisonChartId(chart);
          const { figure, canvas } = chartCard(id, chart.title);
          slots.push({ id, canvas, view: chart, groups });
          return figure;
        }),
      ),
    );
  }
  parts.push(
    el('h2', undefined, 'By settings'),
    table(
      ['Settings', 'Completed', 'Total time', 'Downtime', 'RAM transferred', 'Failed', 'Cancelled'],
      view.rows.map((r) => [r.settings, r.completed, r.totalTime, r.downtime, r.transferred, r.failed, r.cancelled]),
      'comparison',
    ),
  );
  if (view.notCompleted.length > 0) {
    parts.push(
      el('h2', undefined, 'Not completed (not charted)'),
      table(['Ended', 'Settings', 'Outcome', 'Why'], view.notCompleted.map((n) => [n.when, n.settings, n.status, n.reason]), 'not-completed'),
    );
  }
  return parts;
}
