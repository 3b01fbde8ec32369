/**
 * Live migration of a VM to another host, phase by phase (see `phases.ts`): begin, prepare,
 * perform, finish, confirm — or a rollback that leaves the VM running where it was.
 *
 * ```ts
 * const summary = await migrateVm({ lab, vmName: 'vm1', to: 'lab-b', settings: { capabilities: ['auto-converge'] } }, deps, {
 *   signal, onProgress: (p) => chart(p), onNonConvergence: (f) => warn(f.message, f.fixes),
 * });
 * ```
 */
import { refusalFor } from '../lab/adopted-refusals';
import { describeError, QemuLabError } from '../errors';
import { begin } from './begin';
import { migrateLibvirtVm } from './libvirt/migrate-libvirt';
import { confirm } from './confirm';
import { copyDisk } from './copy';
import type { MigrationContext } from './context';
import { MigrationCancelledError, MigrationError } from './errors';
import { finish } from './finish';
import { MigrationStateMachine, type MigrationPhase, type MigrationStep } from './phases';
import { perform } from './perform';
import { prepare } from './prepare';
import type { MigrationDependencies, MigrationOptions, MigrationRequest } from './request';
import { rollback } from './rollback';
import { settingsInEffect } from './settings';
import { summarize, type MigrationOutcome, type MigrationSummary } from './summary';

function summaryOf(ctx: MigrationContext, status: MigrationOutcome, error: string | undefined, phase: MigrationPhase = ctx.machine.phase): MigrationSummary {
  const facts = ctx.begin;
  const sourceLocation = facts === undefined ? { host: '?' } : { host: facts.sourceKey.host, ...(facts.sourceKey.slot === undefined ? {} : { slot: facts.sourceKey.slot }) };
  const ssh = status === 'completed' ? ctx.destination?.record.ssh : facts?.source.record.ssh;
  return summarize(
    {
      vm: ctx.request.vmName,
      migration: ctx.request.name,
      from: sourceLocation,
      to: facts?.destinationLocation ?? { host: ctx.request.to },
      uri: ctx.uri,
      status,
      error,
      phase,
      startedAt: ctx.startedAt.toISOString(),
      wallTimeMs: Date.now() - ctx.startedAt.getTime(),
      settings: ctx.settings ?? settingsInEffect(ctx.request.settings, {}),
      phases: ctx.machine.durations(),
      switchedToPostcopy: ctx.switchedToPostcopy,
      maxCpuThrottlePercentage: ctx.maxCpuThrottlePercentage,
      nonConvergence: ctx.nonConvergence,
      qemu: { source: facts?.versions.source.text, destination: facts?.versions.destination.text },
      ssh: ssh === undefined ? undefined : { host: ssh.host, port: ssh.port },
      ...diskOf(ctx),
    },
    ctx.lastProgress,
  );
}

/** The summary's `disk` part (see {@link MigrationSummary.disk}). */
function diskOf(ctx: MigrationContext): Pick<MigrationSummary, 'disk'> {
  const disk = ctx.begin?.disk;
  if (disk === undefined) return {};
  if (disk.storage === 'shared') return { disk: { storage: 'shared' } };
  const copied = ctx.diskCopied;
  return { disk: { storage: 'copy', sync: disk.sync, ...(copied === undefined ? {} : { copiedBytes: copied.bytes, copyMs: copied.ms }) } };
}

/** Turns whatever a step threw into a {@link MigrationError} of that step. */
function asMigrationError(error: unknown, step: MigrationStep, aborted: boolean): MigrationError {
  if (error instanceof MigrationError) return error;
  if (aborted) return new MigrationCancelledError('The migration was cancelled.', { phase: step, hint: 'The VM keeps running on the source.', cause: error });
  const message = error instanceof QemuLabError ? error.message : describeError(error);
  return new MigrationError(`The migration failed in ${step}: ${message}`, { phase: step, hint: error instanceof QemuLabError ? error.hint : undefined, cause: error });
}

/**
 * Migrates a running VM of a lab to another host and resolves with the summary once the guest
 * runs there and the source QEMU has quit.
 *
 * @throws MigrationError (or {@link MigrationCancelledError}) when it could not start, failed,
 *   or was cancelled: the VM then still runs on its source host, no destination QEMU is left,
 *   and `error.summary` holds what was measured (when the migration got that far).
 */
export async function migrateVm(request: MigrationRequest, deps: MigrationDependencies, options: MigrationOptions = {}): Promise<MigrationSummary> {
  // An adopted domain is the user's: libvirt's own `virsh migrate` moves it, never QEMU Lab.
  const vm = request.lab.vms.get(request.vmName);
  const adopted = vm === undefined ? undefined : refusalFor(vm, 'migration');
  if (adopted !== undefined) throw new MigrationError(`${adopted.problem}.`, { phase: 'begin', hint: adopted.hint });
  // Between two libvirt hosts libvirt migrates its domain itself (libvirt/migrate-libvirt.ts).
  const home = request.lab.hosts.get(request.lab.vms.get(request.vmName)?.host ?? '');
  if (home?.kind === 'libvirt' && request.lab.hosts.get(request.to)?.kind === 'libvirt') return migrateLibvirtVm(request, deps, options);
  const ctx: MigrationContext = {
    request,
    deps,
    options,
    machine: new MigrationStateMachine(options.onPhase),
    startedAt: new Date(),
    note: (text) => options.onNote?.(text),
    destinationStarted: false,
    migrateSent: false,
    mirrorStarted: false,
    postcopyStarted: false,
    switchedToPostcopy: false,
    warnings: [],
  };
  const steps: Record<Exclude<MigrationStep, 'begin'>, () => Promise<unknown>> = {
    prepare: () => prepare(ctx),
    copy: () => copyDisk(ctx),
    perform: () => perform(ctx),
    finish: () => finish(ctx),
    confirm: () => confirm(ctx),
  };
  try {
    options.signal?.throwIfAborted();
    ctx.begin = await begin(ctx);
  } catch (error) {
    const failure = asMigrationError(error, 'begin', options.signal?.aborted === true);
    ctx.machine.advance(failure instanceof MigrationCancelledError ? 'cancelled' : 'failed');
    throw failure;
  }
  ctx.machine.copiesDisk = ctx.begin.disk?.storage === 'copy';
  ctx.machine.advance('ok');

  for (;;) {
    const step = ctx.machine.phase;
    if (step === 'done') break;
    if (step !== 'prepare' && step !== 'copy' && step !== 'perform' && step !== 'finish' && step !== 'confirm') throw new Error(`Unexpected phase ${step}`);
    try {
      if (step !== 'confirm' && step !== 'finish') options.signal?.throwIfAborted();
      await steps[step]();
      ctx.machine.advance('ok');
    } catch (error) {
      const failure = asMigrationError(error, step, options.signal?.aborted === true);
      const cancelled = failure instanceof MigrationCancelledError;
      ctx.machine.advance(cancelled ? 'cancelled' : 'failed');
      const report = await rollback(ctx);
      ctx.machine.advance(cancelled ? 'cancelled' : 'failed');
      const parts = [failure.hint];
      if (report.destinationSaid !== undefined) parts.push(`The destination QEMU said: ${report.destinationSaid.replaceAll('\n', ' / ')}`);
      if (report.problems.length > 0) parts.push(`The rollback could not finish: ${report.problems.join(' ')}`);
      else parts.push(`VM "${request.vmName}" runs on "${ctx.begin.sourceKey.host}" as before; the destination QEMU is gone.`);
      const hint = parts.filter((p) => p !== undefined).join(' ');
      const Kind = cancelled ? MigrationCancelledError : MigrationError;
      const summary = summaryOf(ctx, cancelled ? 'cancelled' : 'failed', failure.message, step);
      throw new Kind(failure.message, { phase: step, hint, cause: failure.cause ?? failure, summary });
    }
  }
  for (const warning of ctx.warnings) ctx.note(warning);
  return summaryOf(ctx, 'completed', ctx.warnings.length > 0 ? ctx.warnings.join(' ') : undefined);
}
