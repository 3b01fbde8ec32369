/**
 * Stored migrations compared across settings (issue #7: "default vs auto-converge vs postcopy on
 * the same dirtying workload"): the records of one VM grouped by the settings they ran with —
 * capabilities, max-bandwidth, downtime-limit, and the xbzrle cache / multifd channels that go
 * with their capability — with the median and min–max of total time, downtime and RAM sent of
 * the completed ones. Failed and cancelled attempts are counted in their group and listed with
 * their reason, never mixed into the numbers: a cancelled run's "total time" is when someone gave
 * up, not how long the migration took. Pure: the CLI's report and the migration panel both use it.
 */
import { basename } from 'node:path';
import { median } from '../workloads/stats';
import type { MigrationCapability } from '../../lab/model';
import type { SettingsInEffect } from '../../migration/settings';
import type { MigrationRecord } from '../../migration/store';

/** The median and the spread of one quantity over the completed runs of a group. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** How many runs had the quantity (a run may lack one, e.g. no downtime reported). */
  readonly count: number;
}

/** The migrations of one VM that ran with the same settings. */
export interface SettingsGroup {
  /** Stable identity of the settings, for grouping and CSV. */
  readonly key: string;
  /** `auto-converge · 128 MiB/s · 300 ms`: how people and charts name the group. */
  readonly label: string;
  readonly settings: SettingsInEffect;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  /** Of the completed runs; undefined when none completed (or none reported it). */
  readonly totalTimeMs: Spread | undefined;
  readonly downtimeMs: Spread | undefined;
  readonly transferredBytes: Spread | undefined;
}

/** An attempt that did not complete: listed, not charted. */
export interface NotCompleted {
  readonly id: string;
  /** ISO 8601, when it ended. */
  readonly timestamp: string;
  readonly settingsLabel: string;
  readonly status: 'failed' | 'cancelled';
  /** The phase it failed or was cancelled in. */
  readonly phase: string;
  /** Why: the non-convergence finding when there was one (the usual reason to cancel), else the error. */
  readonly reason: string;
}

/** Everything compared for one VM. */
export interface MigrationComparison {
  readonly vm: string;
  /** Ordered: no capabilities first, then by capabilities, bandwidth, downtime limit. */
  readonly groups: readonly SettingsGroup[];
  /** Newest first. */
  readonly notCompleted: readonly NotCompleted[];
}

const MIB = 1024 * 1024;

/** Capabilities in one order, whatever order they were asked in: `[xbzrle, auto-converge]` is `[auto-converge, xbzrle]`. */
function sortedCapabilities(capabilities: readonly MigrationCapability[]): MigrationCapability[] {
  return [...new Set(capabilities)].sort();
}

/** The identity of the settings: equal settings, equal keys. */
export function settingsKey(settings: SettingsInEffect): string {
  return [
    sortedCapabilities(settings.capabilities).join('+') || 'none',
    `bw=${settings.maxBandwidthBytesPerSecond ?? '-'}`,
    `dl=${settings.downtimeLimitMs ?? '-'}`,
    `xc=${settings.xbzrleCacheBytes ?? '-'}`,
    `mc=${settings.multifdChannels ?? '-'}`,
  ].join(';');
}

/** A byte count short: `128 MiB`, `1.5 GiB`, `512 KiB`. */
function shortBytes(bytes: number): string {
  const units: readonly [number, string][] = [
    [1024 ** 3, 'GiB'],
    [MIB, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, unit] of units) if (bytes >= size) return `${Number((bytes / size).toPrecision(3))} ${unit}`;
  return `${bytes} B`;
}

/**
 * The settings in a few words: `default · 128 MiB/s · 300 ms`, `auto-converge+xbzrle (cache 64
 * MiB) · 32 MiB/s · 300 ms`. "default" means no capability asked (QEMU's plain pre-copy).
 */
export function settingsLabel(settings: SettingsInEffect): string {
  const capabilities = sortedCapabilities(settings.capabilities).join('+') || 'default';
  const extras = [
    settings.xbzrleCacheBytes === undefined ? undefined : `cache ${shortBytes(settings.xbzrleCacheBytes)}`,
    settings.multifdChannels === undefined ? undefined : `${settings.multifdChannels} channels`,
  ].filter((x): x is string => x !== undefined);
  const parts = [
    extras.length === 0 ? capabilities : `${capabilities} (${extras.join(', ')})`,
    settings.maxBandwidthBytesPerSecond === undefined ? undefined : `${shortBytes(settings.maxBandwidthBytesPerSecond)}/s`,
    settings.downtimeLimitMs === undefined ? undefined : `${settings.downtimeLimitMs} ms`,
  ];
  return parts.filter((x): x is string => x !== undefined).join(' · ');
}

/** The records of one lab file. The store sits beside the lab file, so lab files of one directory share it; the name tells them apart, and still matches after the directory moved. */
export function recordsOfLab(records: readonly MigrationRecord[], labPath: string): MigrationRecord[] {
  const name = basename(labPath);
  return records.filter((r) => basename(r.lab) === name);
}

/** The VMs that have stored migrations, with how many each, in the order first seen. */
export function migratedVms(records: readonly MigrationRecord[]): { readonly vm: string; readonly count: number }[] {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.summary.vm, (counts.get(r.summary.vm) ?? 0) + 1);
  return [...counts].map(([vm, count]) => ({ vm, count }));
}

function spread(values: readonly (number | undefined)[]): Spread | undefined {
  const present = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (present.length === 0) return undefined;
  return { median: median(present), min: Math.min(...present), max: Math.max(...present), count: present.length };
}

function reasonOf(record: MigrationRecord): string {
  const s = record.summary;
  return s.nonConvergence?.message ?? s.error ?? `${s.status} in ${s.phase}`;
}

/** The order of groups: plain pre-copy first, then fewer capabilities, then by name, bandwidth, downtime limit. */
function compareGroups(a: SettingsGroup, b: SettingsGroup): number {
  const caps = (g: SettingsGroup): string => sortedCapabilities(g.settings.capabilities).join('+');
  return (
    a.settings.capabilities.length - b.settings.capabilities.length ||
    caps(a).localeCompare(caps(b)) ||
    (a.settings.maxBandwidthBytesPerSecond ?? 0) - (b.settings.maxBandwidthBytesPerSecond ?? 0) ||
    (a.settings.downtimeLimitMs ?? 0) - (b.settings.downtimeLimitMs ?? 0) ||
    a.key.localeCompare(b.key)
  );
}

/** Compares the stored migrations of `vm` across their settings (see the file comment). */
export function compareMigrations(records: readonly MigrationRecord[], vm: string): MigrationComparison {
  const mine = records.filter((r) => r.summary.vm === vm);
  const byKey = new Map<string, MigrationRecord[]>();
  for (const r of mine) {
    const key = settingsKey(r.summary.settings);
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  const groups = [...byKey].map(([key, members]): SettingsGroup => {
    const completed = members.filter((r) => r.summary.status === 'completed').map((r) => r.summary);
    const settings = (members[0] as MigrationRecord).summary.settings;
    return {
      key,
      label: settingsLabel(settings),
      settings,
      completed: completed.length,
      failed: members.filter((r) => r.summary.status === 'failed').length,
      cancelled: members.filter((r) => r.summary.status === 'cancelled').length,
      totalTimeMs: spread(completed.map((s) => s.totalTimeMs)),
      downtimeMs: spread(completed.map((s) => s.downtimeMs)),
      transferredBytes: spread(completed.map((s) => s.ram.transferredBytes)),
    };
  });
  const notCompleted = mine
    .filter((r) => r.summary.status !== 'completed')
    .map((r): NotCompleted => ({
      id: r.id,
      timestamp: r.timestamp,
      settingsLabel: settingsLabel(r.summary.settings),
      status: r.summary.status === 'cancelled' ? 'cancelled' : 'failed',
      phase: r.summary.phase,
      reason: reasonOf(r),
    }))
    .sort((a, b) => b.timestamp.localeCompare(a.timestamp));
  return { vm, groups: groups.sort(compareGroups), notCompleted };
}
