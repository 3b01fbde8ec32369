import { describeError } from '../../core/errors';
import type { MigrationCapability, MigrationStorage } from '../../core/lab/model';
import { parseBandwidth, parseDuration, parseSize } from '../../core/lab/sizes';
import { CAPABILITIES, MIGRATION_STORAGES } from '../../core/lab/vocabulary';
import { formatDiskCopyLine, formatDuration, formatNonConvergence, formatProgressLine, formatSummary } from '../../core/migration/format';
import { formatDuring, formatRate } from '../../core/migration/during/format';
import type { DuringRequest } from '../../core/migration/during/session';
import { duringRequestOf } from '../../core/migration/during/from-lab';
import { duringLabel, parseDuringList } from '../../core/migration/during/spec';
import { unitOf } from '../../core/migration/during/timeline';
import type { MigrationProgress } from '../../core/migration/progress';
import { requestFromLab, type MigrationRequest, type NonConvergencePolicy } from '../../core/migration/request';
import type { MigrationSettings } from '../../core/migration/settings';
import { migrateAndStore, type StoredMigrationRun } from '../../core/migration/migrate-and-store';
import { defineCommand } from '../command-spec';
import { UsageError, type CliIo } from '../io';
import { loadLabOrFail } from '../load-lab';
import { withVmDependencies } from '../vm-context';

const POLICIES: readonly NonConvergencePolicy[] = ['continue', 'cancel', 'postcopy'];

/** The options of migrate, with their help (usage errors list them). */
const MIGRATE_OPTIONS = {
  to: { value: 'HOST', complete: 'host', help: 'the destination host (a lab host); --name M takes a migrations: entry instead' },
  name: { value: 'M', complete: 'migration', help: 'a migrations: entry of the lab file (its VM, destination and settings)' },
  'max-bandwidth': { value: 'X', help: 'bytes per second, e.g. 100M or 1G' },
  'downtime-limit': { value: 'MS', help: 'the longest stop at the switch-over, e.g. 300 or 300ms' },
  cap: { value: 'LIST', help: 'auto-converge,xbzrle,postcopy,multifd' },
  'xbzrle-cache': { value: 'SIZE', help: 'xbzrle cache size, e.g. 256M' },
  'multifd-channels': { value: 'N', help: 'parallel connections with multifd (1–255)' },
  'postcopy-after': { value: 'S', help: 'switch to postcopy S seconds after the start (with --cap postcopy)' },
  'on-stall': { value: 'continue|cancel|postcopy', help: 'when it does not converge (default: continue, and say so)' },
  timeout: { value: 'S', help: 'cancel if not done in S seconds' },
  'stall-timeout': { value: 'S', help: 'fail if no byte moves for S seconds (default 30)' },
  address: { value: 'IP', help: 'the destination address the source connects to (default: found out)' },
  storage: { value: 'copy|shared', help: "a disk guest's disk to another host: copy it with the migration (default), or shared (the destination sees the same file)" },
  'same-host': { help: 'allow a second QEMU on the same host, over loopback (tests, measurements)' },
  during: {
    value: 'LIST',
    help:
      'benchmarks sampled per second around the migration, BENCH@WHERE, e.g. sysbench-cpu@host,sysbench-memory@guest,iperf3@guest ' +
      '(BENCH: sysbench-cpu, sysbench-memory, iperf3, iperf; WHERE: host = source host, dest = destination host, guest)',
  },
  'during-seconds': {
    value: 'S',
    help: 'baseline length without migration, run just before; the run around the migration lasts at least as long (default 20)',
  },
  'during-lead': { value: 'S', help: 'benchmarks run S seconds before the migration starts (default 3)' },
  'during-tail': { value: 'S', help: 'and S seconds after it ended (default 5)' },
} as const;

function quantity(value: string | undefined, parse: (input: unknown) => { ok: true; value: number } | { ok: false; message: string }, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parse(value);
  if (!parsed.ok) throw new UsageError(`${flag}: ${parsed.message}`);
  return parsed.value;
}

function seconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} takes a number of seconds.`);
  return n * 1000;
}

function capabilities(value: string | undefined): MigrationCapability[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const name of names) {
    if (!(CAPABILITIES as readonly string[]).includes(name)) throw new UsageError(`--cap ${name}: not a capability; use ${CAPABILITIES.join(', ')}.`);
  }
  return names as MigrationCapability[];
}

/** Progress on stderr: redrawn in place on a terminal, else a line per dirty sync (and every few seconds). */
function progressPrinter(io: CliIo, vm: string): { show: (p: MigrationProgress) => void; line: (text: string, last: boolean) => void; clear: () => void } {
  let lastSync: number | undefined;
  let lastLine = 0;
  let drawn = false;
  return {
    /** A line of other progress (the disk copy): redrawn on a terminal, else every few seconds and the last one. */
    line: (text, last) => {
      if (io.isTty) {
        io.err(`\r\x1b[2K${text}`);
        drawn = true;
        return;
      }
      if (last || Date.now() - lastLine > 5_000) {
        io.err(`${text}\n`);
        lastLine = Date.now();
      }
    },
    show: (p) => {
      const line = formatProgressLine(vm, p);
      if (io.isTty) {
        io.err(`\r\x1b[2K${line}`);
        drawn = true;
        return;
      }
      if (p.dirtySyncCount !== lastSync || Date.now() - lastLine > 5_000 || p.status !== 'active') {
        io.err(`${line}\n`);
        lastSync = p.dirtySyncCount;
        lastLine = Date.now();
      }
    },
    clear: () => {
      if (drawn) io.err('\r\x1b[2K');
      drawn = false;
    },
  };
}

/** The `--during` request from the options, or undefined without `--during`. */
function duringRequest(values: { during?: string; 'during-seconds'?: string; 'during-lead'?: string; 'during-tail'?: string }): DuringRequest | undefined {
  if (values.during === undefined) {
    if (values['during-seconds'] !== undefined || values['during-lead'] !== undefined || values['during-tail'] !== undefined) throw new UsageError('--during-seconds, --during-lead and --during-tail go with --during.');
    return undefined;
  }
  const specs = parseDuringList(values.during);
  if (!specs.ok) throw new UsageError(`--during: ${specs.message}.`);
  const whole = (value: string | undefined, flag: string, fallback: number, least: number): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < least || n > 3600) throw new UsageError(`${flag} takes a whole number of seconds from ${least} to 3600.`);
    return n;
  };
  return {
    specs: specs.value,
    plan: {
      seconds: whole(values['during-seconds'], '--during-seconds', 20, 3),
      leadSeconds: whole(values['during-lead'], '--during-lead', 3, 1),
      tailSeconds: whole(values['during-tail'], '--during-tail', 5, 1),
    },
  };
}

/**
 * `qemu-lab migrate VM --to HOST …` or `qemu-lab migrate --name MIGRATION`: live-migrates a
 * running VM, printing its progress, then the summary; every attempt that started is stored in
 * `.qemu-lab/results/migrations.jsonl` next to the lab file. Ctrl-C cancels and rolls back.
 */
export const migrateCommand = defineCommand({
  name: 'migrate',
  usage: ['migrate VM --to HOST [options]', 'migrate --name M [options]'],
  operands: { synopsis: 'VM', count: 'any', complete: 'vm' },
  options: MIGRATE_OPTIONS,
  listOptionsOnError: true,
  summary: 'live-migrate a running VM to another host; progress, then total time, downtime, RAM sent',
  example: ['qemu-lab migrate vm1 --to host2 --cap auto-converge --max-bandwidth 1G', 'qemu-lab migrate --name vm1-to-host2 --during sysbench-cpu@guest'],
  async run({ values, positionals }, global, io) {
    const asked = duringRequest(values);
    const [vmName, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError('migrate takes at most one VM name.');
    if (values.name === undefined && (vmName === undefined || values.to === undefined)) throw new UsageError('migrate needs a VM and --to HOST, or --name MIGRATION.');
    if (values.name !== undefined && vmName !== undefined) throw new UsageError('Give either a VM name or --name MIGRATION, not both.');
    const policy = values['on-stall'];
    if (policy !== undefined && !(POLICIES as readonly string[]).includes(policy)) throw new UsageError(`--on-stall takes ${POLICIES.join(', ')}.`);
    const channels = values['multifd-channels'] === undefined ? undefined : Number(values['multifd-channels']);
    const storage = values.storage;
    if (storage !== undefined && !(MIGRATION_STORAGES as readonly string[]).includes(storage)) throw new UsageError(`--storage takes ${MIGRATION_STORAGES.join(' or ')}.`);
    if (channels !== undefined && (!Number.isInteger(channels) || channels < 1 || channels > 255)) throw new UsageError('--multifd-channels takes a whole number from 1 to 255.');
    const overrides = {
      capabilities: capabilities(values.cap),
      maxBandwidthBytesPerSecond: quantity(values['max-bandwidth'], parseBandwidth, '--max-bandwidth'),
      downtimeLimitMs: quantity(values['downtime-limit'], parseDuration, '--downtime-limit'),
      xbzrleCacheBytes: quantity(values['xbzrle-cache'], parseSize, '--xbzrle-cache'),
      multifdChannels: channels,
    };
    const postcopyAfterMs = seconds(values['postcopy-after'], '--postcopy-after');
    const timeoutMs = seconds(values.timeout, '--timeout');
    const stallTimeoutMs = seconds(values['stall-timeout'], '--stall-timeout');

    const lab = await loadLabOrFail(global.file, io);
    const base: MigrationRequest =
      values.name !== undefined ? requestFromLab(lab, values.name) : { lab, vmName: vmName as string, to: values.to as string, settings: { capabilities: [] } };
    const settings: MigrationSettings = {
      ...base.settings,
      ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
    };
    const request: MigrationRequest = {
      ...base,
      to: values.to ?? base.to,
      settings,
      allowSameHost: values['same-host'] === true,
      destinationAddress: values.address,
      ...(storage === undefined ? {} : { storage: storage as MigrationStorage }),
    };
    // --during wins; else a migrations: entry's own during: list.
    const entry = values.name === undefined ? undefined : lab.migrations.get(values.name);
    const during = asked ?? (entry === undefined ? undefined : duringRequestOf(entry));
    const name = request.vmName;
    const started = Date.now();
    const progress = progressPrinter(io, name);
    let run: StoredMigrationRun | undefined;
    try {
      run = await withVmDependencies(lab, global, io, (deps) =>
        migrateAndStore(request, deps, {
          migration: {
            signal: io.signal,
            whenNotConverging: policy as NonConvergencePolicy | undefined,
            postcopyAfterMs,
            timeoutMs,
            stallTimeoutMs,
            onPhase: (phase) => {
              progress.clear();
              io.err(`${name}: ${phase} (${formatDuration(Date.now() - started)})\n`);
            },
            onProgress: (p) => progress.show(p),
            onDiskProgress: (p) => progress.line(formatDiskCopyLine(name, p), p.ready),
            onNote: (text) => {
              progress.clear();
              io.err(`${name}: ${text}\n`);
            },
            onNonConvergence: (finding) => {
              progress.clear();
              io.err(`${name}: warning: ${formatNonConvergence(finding)}\n`);
            },
          },
          during,
          duringHooks: {
            onNote: (text) => {
              progress.clear();
              io.err(`${name}: ${text}\n`);
            },
            // Without a terminal, a line per sample would drown the progress: samples show in the summary.
            onSample: io.isTty ? (spec, phase, sample) => io.err(`\r\x1b[2K${name}: ${phase} ${duringLabel(spec)} ${formatRate(sample.value, unitOf(spec.benchmark))}\n`) : undefined,
          },
        }),
      );
    } finally {
      progress.clear();
    }
    const { attempt: summary, stored } = run;
    if (stored.kind === 'store-failed') io.err(`qemu-lab: warning: the migration was not stored: ${describeError(stored.error)}\n`);
    if (summary !== undefined) {
      const path = stored.kind === 'stored' ? stored.path : undefined;
      const duringText = formatDuring(run.timeline);
      if (global.json) io.out(JSON.stringify(during === undefined ? summary : { ...summary, timeline: run.timeline }, null, 2) + '\n');
      else io.out(`${formatSummary(summary)}\n${duringText === undefined ? '' : `${duringText}\n`}${path === undefined ? '' : `Stored in ${path}.\n`}`);
    }
    if (run.summary === undefined) throw run.error;
    return 0;
  },
});
