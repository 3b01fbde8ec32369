import { directionOf, type ResultRecord } from '../results/record';

function field(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  // Quote what a spreadsheet would split or evaluate (a leading = + - @ starts a formula).
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Raw values, one row per measured run, for spreadsheets. */
export function renderCsv(records: readonly ResultRecord[]): string {
  const header = ['timestamp', 'experiment', 'run', 'cell', 'benchmark', 'target', 'host', 'accel', 'nic', 'direction', 'repetition', 'metric', 'unit', 'value', 'label'];
  const rows = records.map((r) =>
    [
      r.timestamp,
      r.experiment,
      r.metadata.runId,
      r.metadata.cell,
      r.benchmark,
      r.target,
      r.host,
      r.metadata.accel,
      r.metadata.nic,
      directionOf(r),
      r.metadata.repetition,
      r.metric.name,
      r.metric.unit,
      r.metric.value,
      r.label,
    ]
      .map(field)
      .join(','),
  );
  return [header.join(','), ...rows].join('\n') + '\n';
}
