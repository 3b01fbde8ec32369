/**
 * Perform (on the source): capabilities and parameters set (the old ones kept for a rollback),
 * `migrate`, then follow it — MIGRATION/MIGRATION_PASS events wake the loop, `query-migrate`
 * every poll interval is the fallback — reporting progress, watching for non-convergence and
 * for a stalled link, switching to postcopy when asked, cancelling when aborted.
 */
import { describeError } from '../errors';
import { capabilityArguments, capabilityStates } from './capabilities';
import type { BeginFacts, MigrationContext } from './context';
import { ConvergenceWatch } from './convergence';
import { completeMirror, stopExport } from './disk-copy';
import { MigrationCancelledError, MigrationError } from './errors';
import { canCancel } from './phases';
import { parseMigrationInfo, type MigrationProgress } from './progress';
import { managedParameters, settingsInEffect, sourceParameterArguments } from './settings';
import { sleep } from '../infrastructure/support/sleep';
import type { QmpLink } from './qmp-link';

/** QEMU's capability that stops the source before the switch-over until `migrate-continue`. */
const PAUSE_BEFORE_SWITCHOVER = 'pause-before-switchover';

const DEFAULT_POLL_MS = 500;
const DEFAULT_STALL_MS = 30_000;
/** How long a cancelled migration may take to say `cancelled`. */
const CANCEL_WAIT_MS = 15_000;

/** Why the loop cancels, in words for the error. */
type CancelReason = { readonly message: string; readonly hint: string; readonly asFailure: boolean };

function failureHint(description: string): string {
  if (/refused|no route|unreachable|timed out/i.test(description)) return 'Nothing accepted the connection: is the destination address reachable from the source (firewall, --address)?';
  if (/broken pipe|reset|closed/i.test(description)) return 'The destination dropped the connection: its QEMU may have exited (its log says why), or the network failed.';
  return 'QEMU said why above; the source keeps running.';
}

/** A promise that resolves after `ms` or at the first wake, whichever comes first. */
function pause(ms: number, wakers: Promise<void>[]): Promise<void> {
  const woken = new AbortController();
  return Promise.race([sleep(ms, woken.signal), ...wakers]).finally(() => woken.abort());
}

/**
 * At the pause before the switch-over: the mirror's last pass makes the destination's disk whole,
 * the NBD client node goes, and the destination's NBD server stops, so nothing but the guest
 * writes that disk once it runs there.
 */
async function handOverDisk(ctx: MigrationContext): Promise<void> {
  const facts = ctx.begin as BeginFacts;
  if (facts.disk?.storage !== 'copy') {
    throw new MigrationError('The source paused before the switch-over with no disk copy to finish (pause-before-switchover was on).', { phase: 'perform', hint: 'Try again: the capability is switched off for migrations without a disk copy.' });
  }
  await completeMirror(facts.sourceLink);
  ctx.mirrorStarted = false;
  await stopExport(ctx.destinationLink as QmpLink);
}

/** Runs perform until the source reports `completed`; returns the last sample. */
export async function perform(ctx: MigrationContext): Promise<MigrationProgress> {
  const facts = ctx.begin as BeginFacts;
  const { options, request } = ctx;
  const link = facts.sourceLink;
  const asked = request.settings;

  ctx.sourceBefore = {
    capabilities: capabilityStates(await link.execute('query-migrate-capabilities', undefined, { idempotent: true })),
    parameters: managedParameters(await link.execute('query-migrate-parameters', undefined, { idempotent: true })) as Record<string, number>,
  };
  await link.execute('migrate-set-capabilities', capabilityArguments(asked.capabilities, 'source'));
  // A copied disk is handed over at a pause before the switch-over (see disk-copy.ts); a
  // leftover of an interrupted attempt must not hold up a migration without one.
  const copiesDisk = facts.disk?.storage === 'copy';
  if (copiesDisk || ctx.sourceBefore.capabilities.get(PAUSE_BEFORE_SWITCHOVER) === true) {
    await link.execute('migrate-set-capabilities', { capabilities: [{ capability: PAUSE_BEFORE_SWITCHOVER, state: copiesDisk }] });
  }
  const parameters = sourceParameterArguments(asked);
  if (parameters !== undefined) await link.execute('migrate-set-parameters', parameters);
  ctx.settings = settingsInEffect(asked, await link.execute('query-migrate-parameters', undefined, { idempotent: true }));

  const watch = new ConvergenceWatch({
    capabilities: asked.capabilities,
    downtimeLimitMs: ctx.settings.downtimeLimitMs,
    maxBandwidthBytesPerSecond: ctx.settings.maxBandwidthBytesPerSecond,
    syncs: options.convergenceSyncs,
  });
  const postcopyOn = asked.capabilities.includes('postcopy');
  let wake: () => void = () => undefined;
  let woken = new Promise<void>((resolve) => (wake = resolve));
  const onEvent = (): void => {
    wake();
    woken = new Promise<void>((resolve) => (wake = resolve));
  };
  // The link passes the source's events on through this hook (see begin).
  ctx.sourceEvents = onEvent;

  options.signal?.throwIfAborted();
  await link.execute('migrate', { uri: ctx.uri as string });
  ctx.migrateSent = true;
  const started = Date.now();
  let lastMoved = Date.now();
  let lastTransferred = -1;
  let cancel: CancelReason | undefined;
  let cancelSentAt: number | undefined;
  let postcopyNoted = false;
  let cancelNoted = false;
  let completedRetries = 0;

  const requestPostcopy = async (why: string): Promise<void> => {
    if (ctx.switchedToPostcopy) return;
    if (!postcopyOn) {
      if (!postcopyNoted) ctx.note(`Cannot switch to postcopy (${why}): the postcopy capability was not enabled before the migration started.`);
      postcopyNoted = true;
      return;
    }
    await link.execute('migrate-start-postcopy');
    ctx.switchedToPostcopy = true;
    ctx.note(`Switched to postcopy (${why}).`);
  };

  for (;;) {
    const progress = parseMigrationInfo(await link.execute('query-migrate', undefined, { idempotent: true }));
    // QEMU sets `completed` (and sends the event that woke us) a moment before it fills in
    // total-time and downtime: a reply from that moment says 0. Ask again until they are there.
    if (progress.status === 'completed' && ((progress.elapsedMs ?? 0) === 0 || progress.downtimeMs === undefined) && completedRetries < 100) {
      completedRetries += 1;
      await sleep(10);
      continue;
    }
    // A failed or cancelled migration's reply has no RAM figures: keep the last ones for the summary.
    const previous = ctx.lastProgress;
    ctx.lastProgress = progress.transferredBytes === undefined && previous !== undefined ? { ...previous, status: progress.status, errorDescription: progress.errorDescription } : progress;
    if (progress.cpuThrottlePercentage !== undefined) ctx.maxCpuThrottlePercentage = Math.max(ctx.maxCpuThrottlePercentage ?? 0, progress.cpuThrottlePercentage);
    if (progress.status.startsWith('postcopy')) ctx.postcopyStarted = true;
    options.onProgress?.(progress);

    switch (progress.status) {
      case 'completed':
        return progress;
      case 'pre-switchover':
        // The guest is stopped, its disks still open: finish the disk copy, then let the destination take over.
        if (cancel === undefined) {
          await handOverDisk(ctx);
          await link.execute('migrate-continue', { state: 'pre-switchover' });
          lastMoved = Date.now();
        }
        break;
      case 'failed': {
        const description = progress.errorDescription ?? 'QEMU gave no reason';
        if (cancel !== undefined && !cancel.asFailure) throw new MigrationCancelledError(cancel.message, { phase: 'perform', hint: cancel.hint });
        if (cancel !== undefined) throw new MigrationError(cancel.message, { phase: 'perform', hint: cancel.hint });
        throw new MigrationError(`The migration failed: ${description}.`, { phase: 'perform', hint: failureHint(description) });
      }
      case 'cancelled':
        if (cancel?.asFailure === true) throw new MigrationError(cancel.message, { phase: 'perform', hint: cancel.hint });
        throw new MigrationCancelledError(cancel?.message ?? 'The migration was cancelled on the source (migrate_cancel).', {
          phase: 'perform',
          hint: cancel?.hint ?? 'Someone else cancelled it; the VM keeps running on the source.',
        });
      default:
        break;
    }

    // Decide whether to cancel (once), and send migrate_cancel while that is still possible.
    const now = Date.now();
    if (cancel === undefined) {
      const transferred = progress.transferredBytes ?? 0;
      if (transferred !== lastTransferred) {
        lastTransferred = transferred;
        lastMoved = now;
      }
      const finding = progress.status === 'active' ? watch.observe(progress) : undefined;
      if (finding !== undefined) {
        ctx.nonConvergence = finding;
        options.onNonConvergence?.(finding);
        if (options.whenNotConverging === 'cancel') {
          cancel = { message: `Cancelled: ${finding.message}`, hint: `Try again with one of: ${finding.fixes.map((f) => f.fix).join('; ')}.`, asFailure: false };
        } else if (options.whenNotConverging === 'postcopy') {
          await requestPostcopy('the migration does not converge');
        }
      }
      if (options.signal?.aborted === true) {
        cancel = { message: 'The migration was cancelled.', hint: `VM "${facts.vm.name}" keeps running on "${facts.sourceKey.host}".`, asFailure: false };
      } else if (options.timeoutMs !== undefined && now - started > options.timeoutMs) {
        cancel = { message: `The migration did not finish within ${Math.round(options.timeoutMs / 1000)} s and was cancelled.`, hint: 'Allow longer, or make it converge (auto-converge, postcopy, more bandwidth).', asFailure: true };
      } else if (now - lastMoved > (options.stallTimeoutMs ?? DEFAULT_STALL_MS) && progress.status !== 'setup') {
        cancel = {
          message: `The migration made no progress for ${Math.round((now - lastMoved) / 1000)} s (${lastTransferred} bytes sent, then nothing).`,
          hint: 'The network between the hosts may be down, or the destination stopped reading. The VM keeps running on the source.',
          asFailure: true,
        };
      }
      if (!ctx.switchedToPostcopy && progress.status === 'active') {
        if (options.controls?.wantsPostcopy === true) await requestPostcopy('asked for');
        else if (options.postcopyAfterMs !== undefined && now - started >= options.postcopyAfterMs) await requestPostcopy(`${Math.round(options.postcopyAfterMs / 1000)} s after the start`);
      }
    }
    if (cancel !== undefined && cancelSentAt === undefined) {
      if (canCancel('perform', progress.status)) {
        await link.execute('migrate_cancel').catch((error: unknown) => ctx.note(`migrate_cancel failed: ${describeError(error)}`));
        cancelSentAt = now;
      } else if (!cancelNoted) {
        cancelNoted = true;
        ctx.note(`Cannot cancel now (${progress.status}): the guest already runs on the destination; the migration is left to finish.`);
      }
    }
    if (cancelSentAt !== undefined && now - cancelSentAt > CANCEL_WAIT_MS) {
      throw new MigrationError(`${cancel?.message ?? 'Cancelled.'} QEMU did not confirm the cancel within ${CANCEL_WAIT_MS / 1000} s.`, { phase: 'perform', hint: cancel?.hint });
    }

    const wakers = [woken];
    const abort = options.signal;
    let onAbort: (() => void) | undefined;
    if (abort !== undefined && !abort.aborted) wakers.push(new Promise<void>((resolve) => abort.addEventListener('abort', (onAbort = () => resolve()), { once: true })));
    const request = options.controls?.nextRequest();
    if (request !== undefined) wakers.push(request.promise);
    await pause(cancelSentAt !== undefined ? 100 : (options.pollIntervalMs ?? DEFAULT_POLL_MS), wakers);
    if (onAbort !== undefined) abort?.removeEventListener('abort', onAbort);
    request?.dispose();
  }
}
