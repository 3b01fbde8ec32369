/**
 * A migration's section of the lab report: QEMU's figures, the during-migration timeline chart
 * per benchmark with its baseline / while / after medians, what kept the guest's place on the
 * network (its MAC and addresses before and after, as the guest reported them; the streams that
 * went on across the switch-over), and the record in migrations.jsonl every figure comes from.
 */
import { safeFileName } from '../infrastructure/files/safe-name';
import { formatSize } from '../lab/sizes';
import { compareDuring } from '../migration/during/compare';
import { formatRate } from '../migration/during/format';
import { isDuringNetwork } from '../migration/during/commands';
import { duringLabel } from '../migration/during/spec';
import type { MigrationTimeline } from '../migration/during/timeline';
import { formatDuration, formatSettings } from '../migration/format';
import { describeLocation } from '../migration/location';
import type { MigrationRecord } from '../migration/store';
import { renderTimelineSvg } from '../measuring/reports/svg-timeline';
import { compareIdentity } from './network-identity';
import type { HeldSessionResult } from './held-session';
import type { GuestNetworkIdentity, MigrationPartResult, PartOutcome } from './outcome';
import { cell, notRunLines, recordsHeading, recordsLink, spreadWords, type ReportFile, type ReportSection } from './report-common';

const ms = (value: number | undefined): string => (value === undefined ? '–' : formatDuration(value));
const bytes = (value: number | undefined): string => (value === undefined ? '–' : formatSize(value));

function identityRows(before: GuestNetworkIdentity, after: GuestNetworkIdentity | undefined): string[] {
  const interfaces = [...new Set([...Object.keys(before.macs), ...Object.keys(before.addresses)])];
  return interfaces.map((i) => {
    const words = (list: readonly string[] | undefined) => (list === undefined || list.length === 0 ? '–' : list.join(', '));
    return `| ${cell(i)} | ${before.macs[i] ?? '–'} | ${after?.macs[i] ?? '–'} | ${words(before.addresses[i])} | ${words(after?.addresses[i])} |`;
  });
}

/** Streams opened before the migration that still gave samples after the switch-over, and those that broke. */
function streamsAcross(timeline: MigrationTimeline): string[] {
  const switchover = timeline.switchoverMs ?? timeline.migration?.endMs;
  if (switchover === undefined) return [];
  return timeline.streams
    .filter((s) => s.run === 'during' && isDuringNetwork(s.benchmark))
    .map((s) => {
      const before = s.samples.filter((x) => x.t < (timeline.migration?.startMs ?? switchover)).length;
      const after = s.samples.filter((x) => x.t > switchover + 1000).length;
      const broke = s.ends.find((e) => e.kind === 'broken' || e.kind === 'failed');
      const label = duringLabel(s);
      if (broke !== undefined) return `- ${label}: the stream broke at ${(broke.t / 1000).toFixed(1)} s (${cell(broke.reason)}).`;
      return after > 0 && before > 0
        ? `- ${label}: one ${s.benchmark} stream, opened ${before} s before the migration, went on across the switch-over (${after} samples after it).`
        : `- ${label}: no samples on both sides of the switch-over (${before} before the migration, ${after} after the switch-over).`;
    });
}

/** True when the QEMU of `argv` had its NIC on user networking (`-netdev user,…`), where the forwarded SSH port belongs to that QEMU. */
export function onUserNetworking(argv: readonly string[]): boolean {
  return argv.some((arg, i) => argv[i - 1] === '-netdev' && arg.startsWith('user,'));
}

/** What the SSH session held open across the migration saw; `userNetworking` as {@link onUserNetworking} tells. */
export function heldSessionLines(session: HeldSessionResult | undefined, userNetworking: boolean): string[] {
  if (session === undefined) return [];
  const silence = `${(session.longestSilenceMs / 1000).toFixed(1)} s`;
  const lost = session.missingLines === 0 ? 'none missing' : `${session.missingLines} missing`;
  const lines = (n: number) => `${n} ${n === 1 ? 'line' : 'lines'}`;
  if (session.openAtEnd && session.linesAfter > 0 && session.linesBefore > 0) {
    return [`- An SSH session into the guest, opened before the migration, went on after it: ${lines(session.linesBefore)} before, ${session.linesAfter} after, ${lost}; its longest silence was ${silence}, and it was still open when the run closed it.`];
  }
  const how = session.ended === undefined ? 'it was still open, but printed nothing after the migration' : `it ended: ${cell(session.ended)}`;
  return [`- An SSH session into the guest, opened before the migration, did not go on: ${lines(session.linesBefore)} before, ${session.linesAfter} after (${lost}); ${how}; its longest silence was ${silence}. ${
    userNetworking
      ? 'On user networking that is expected: the forwarded port belongs to the source QEMU.'
      : "Check that the destination's TAP is on the same bridge as the source's, and that the guest's traffic can reach the host the session came from."
  }`];
}

function timelineCharts(key: string, timeline: MigrationTimeline, chartDir: string): ReportFile[] {
  const labels = [...new Set(timeline.streams.map((s) => duringLabel(s)))];
  return labels.map((label) => {
    const streams = timeline.streams.filter((s) => duringLabel(s) === label);
    const unit = streams[0]?.unit ?? 'events/s';
    return {
      path: `${chartDir}/${safeFileName(`${key}-${label}`, 'timeline')}.svg`,
      content: renderTimelineSvg({
        title: `${label} around the migration`,
        unit,
        lines: ['baseline', 'during'].map((run) => ({ label: run === 'baseline' ? 'baseline (no migration)' : 'around the migration', points: streams.filter((s) => s.run === run).flatMap((s) => s.samples) })),
        migration: timeline.migration,
        switchoverMs: timeline.switchoverMs,
      }),
    };
  });
}

/** The section of migration `name`; `records` are the lab's migration records. */
export function migrationSection(name: string, key: string, outcomes: readonly PartOutcome[], records: readonly MigrationRecord[], chartDir: string): ReportSection {
  const lines: string[] = [`## Migration ${name}`, ''];
  for (const o of outcomes.filter((x) => x.status !== 'done')) lines.push(...notRunLines(o));
  const done = outcomes.flatMap((o) => (o.status === 'done' && o.result?.kind === 'migration' ? [{ run: o.run, result: o.result, record: records.find((r) => r.id === (o.result as MigrationPartResult).recordId) }] : []));
  const shown = done[done.length - 1];
  if (shown === undefined) return { lines: outcomes.length === 0 ? [...lines, 'Not run yet.', ''] : lines, files: [] };
  const { record, result } = shown;
  if (record === undefined) return { lines: [...lines, `> Its record ${cell(result.recordId ?? '(none)')} is not in migrations.jsonl.`, ''], files: [] };
  const s = record.summary;
  const ref = recordsLink('M1', key);
  lines.push(
    `${s.vm} from ${cell(describeLocation(s.from))} to ${cell(describeLocation(s.to))}, ${s.status}; settings: ${cell(formatSettings(s))}.`,
    '',
    '| Figure | Value | Records |',
    '|---|---|---|',
    `| Total time (QEMU) | ${ms(s.totalTimeMs)} | ${ref} |`,
    `| Downtime | ${ms(s.downtimeMs)} | ${ref} |`,
    `| Set-up time | ${ms(s.setupTimeMs)} | ${ref} |`,
    `| Wall time (the tool) | ${ms(s.wallTimeMs)} | ${ref} |`,
    `| RAM sent / guest RAM | ${bytes(s.ram.transferredBytes)} / ${bytes(s.ram.totalBytes)} | ${ref} |`,
    `| Throughput | ${s.throughputBytesPerSecond === undefined ? '–' : `${bytes(Math.round(s.throughputBytesPerSecond))}/s`} | ${ref} |`,
    `| Dirty syncs | ${s.dirtySyncCount ?? '–'} | ${ref} |`,
    '',
  );

  const files: ReportFile[] = [];
  const timeline = record.timeline;
  if (timeline !== undefined && timeline.streams.length > 0) {
    lines.push(`### Benchmarks during the migration`, '', `Medians of per-second samples: a ${timeline.plan?.seconds ?? '?'} s baseline without migration just before, then before, while and after migrating.`, '');
    lines.push('| Benchmark | On | Baseline | Before | While migrating | After | While / baseline | Samples (baseline, before, while, after) | Records |', '|---|---|---|---|---|---|---|---|---|');
    for (const c of compareDuring(timeline)) {
      const ratio = c.migratingRatio === undefined ? '–' : `${(c.migratingRatio * 100).toFixed(0)} %`;
      lines.push(`| ${c.label} | ${cell(c.host)} | ${formatRate(c.baseline, c.unit)} | ${formatRate(c.before, c.unit)} | ${formatRate(c.migrating, c.unit)} | ${formatRate(c.after, c.unit)} | ${ratio} | ${c.counts.baseline}, ${c.counts.before}, ${c.counts.migrating}, ${c.counts.after} | ${ref} |`);
    }
    lines.push('');
    files.push(...timelineCharts(key, timeline, chartDir));
    lines.push(...files.map((f) => `![timeline](${f.path})`), '');
  }

  lines.push('### What kept the network', '');
  if (result.networkBefore === undefined) lines.push('The guest was not asked (it has no SSH).', '');
  else {
    const verdict = result.networkAfter === undefined ? undefined : compareIdentity(result.networkBefore, result.networkAfter);
    lines.push('As the guest reported them over SSH just before the migration and just after it:', '', '| Interface | MAC before | MAC after | Address before | Address after |', '|---|---|---|---|---|', ...identityRows(result.networkBefore, result.networkAfter), '');
    lines.push(
      verdict === undefined
        ? '> The guest could not be asked after the migration.'
        : verdict.kept
          ? '- The guest kept its MAC and its addresses: the destination QEMU has the same NIC (same MAC) on the same network, and QEMU announces the guest (RARP/gratuitous ARP) after the switch-over, so the bridge sends its traffic to the new port.'
          : `- The guest's place changed: ${verdict.changes.map(cell).join('; ')}.`,
    );
    lines.push(...(timeline === undefined ? [] : streamsAcross(timeline)), ...heldSessionLines(result.heldSession, onUserNetworking(result.argv)), '');
  }

  if (done.length > 1) {
    const of = (f: (r: MigrationRecord) => number | undefined) => done.map((d) => (d.record === undefined ? undefined : f(d.record))).filter((v): v is number => v !== undefined);
    lines.push(`Spread between ${done.length} whole runs:`, '', '| Figure | Per run | Spread |', '|---|---|---|');
    for (const [what, f] of [['Total time', (r: MigrationRecord) => r.summary.totalTimeMs], ['Downtime', (r: MigrationRecord) => r.summary.downtimeMs]] as const) {
      const values = of(f);
      lines.push(`| ${what} | ${values.map((v) => `${v} ms`).join(', ')} | ${spreadWords(values, 'ms') ?? '–'} |`);
    }
    lines.push('');
  }

  lines.push(`### ${recordsHeading(key)}`, '', 'The attempts in `.qemu-lab/results/migrations.jsonl` (the timeline with every sample is in the same record).', '', '| Ref | Run | Record id | Stored at |', '|---|---|---|---|');
  for (const d of done) lines.push(`| ${d === shown ? 'M1' : '–'} | ${d.run} | ${cell(d.result.recordId ?? '(not stored)')} | ${cell(d.record?.timestamp ?? '–')} |`);
  lines.push('');
  return { lines, files };
}
