/**
 * The tool's migration tuning as `virsh migrate` options. Pure.
 *
 * Mapped: `max-bandwidth` → `--bandwidth` (MiB/s, libvirt's unit), `auto-converge` →
 * `--auto-converge`, `xbzrle` → `--compressed --comp-methods xbzrle` (its cache →
 * `--comp-xbzrle-cache`), `postcopy` → `--postcopy` (and `--postcopy-after-precopy` when the
 * non-convergence policy is "switch to postcopy"), `multifd` → `--parallel`
 * (`--parallel-connections`). `downtime-limit` goes through `virsh migrate-setmaxdowntime` before
 * the migration starts; a switch to postcopy after a time or on request through `virsh
 * migrate-postcopy`, a time limit through `virsh domjobabort` (libvirt's own `--timeout` suspends
 * or switches, it never cancels). Refused, with the reason: a switch to postcopy without the
 * postcopy capability (libvirt must enable it before the migration starts).
 */
import type { MigrationOptions } from '../request';
import type { MigrationSettings } from '../settings';

const MIB = 1024 * 1024;

/** The `virsh migrate` options of a migration's settings, or why libvirt cannot do what is asked. */
export type LibvirtTuning =
  | { readonly ok: true; readonly args: readonly string[]; readonly downtimeLimitMs: number | undefined; readonly notes: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Reads the settings and options of one migration into `virsh migrate` options (see the file comment). */
export function libvirtTuning(settings: MigrationSettings, options: Pick<MigrationOptions, 'postcopyAfterMs' | 'whenNotConverging'>): LibvirtTuning {
  const args: string[] = [];
  const notes: string[] = [];
  const problems: string[] = [];
  const caps = settings.capabilities;
  if (settings.maxBandwidthBytesPerSecond !== undefined) {
    const mib = Math.max(1, Math.round(settings.maxBandwidthBytesPerSecond / MIB));
    if (mib * MIB !== settings.maxBandwidthBytesPerSecond) notes.push(`libvirt limits bandwidth in whole MiB/s: ${mib} MiB/s is used.`);
    args.push('--bandwidth', String(mib));
  }
  if (caps.includes('auto-converge')) args.push('--auto-converge');
  if (caps.includes('xbzrle')) {
    args.push('--compressed', '--comp-methods', 'xbzrle');
    if (settings.xbzrleCacheBytes !== undefined) args.push('--comp-xbzrle-cache', String(settings.xbzrleCacheBytes));
  }
  if (caps.includes('multifd')) {
    args.push('--parallel');
    if (settings.multifdChannels !== undefined) args.push('--parallel-connections', String(settings.multifdChannels));
  }
  if (caps.includes('postcopy')) {
    args.push('--postcopy');
    if (options.whenNotConverging === 'postcopy') args.push('--postcopy-after-precopy');
  } else {
    if (options.whenNotConverging === 'postcopy') problems.push('switching to postcopy when it does not converge needs the postcopy capability');
    if (options.postcopyAfterMs !== undefined) problems.push('switching to postcopy after a time needs the postcopy capability');
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, args, downtimeLimitMs: settings.downtimeLimitMs, notes };
}
