/**
 * Perform, for a migration between two libvirt hosts: `virsh migrate --live --p2p --persistent
 * --undefinesource` on the source's machine, its job polled there for progress
 * (`domjobinfo`); the postcopy switch through `virsh migrate-postcopy`; cancel and `--timeout`
 * through `virsh domjobabort` (libvirt resumes the source and removes the destination's domain).
 */
import { describeError, QemuLabError } from '../../errors';
import { sleep } from '../../infrastructure/support/sleep';
import { MigrationCancelledError, MigrationError } from '../errors';
import type { MigrationOptions, MigrationRequest } from '../request';
import type { LibvirtFacts, LibvirtMigrationState } from './context';
import { domainJob } from './domain-job';

const DEFAULT_POLL_MS = 500;
/** `virsh migrate` may run this long unless the request bounds it (a slow link, a bandwidth cap). */
const MIGRATE_TIMEOUT_MS = 6 * 60 * 60 * 1000;

/** `virsh migrate` with the job polled for progress; cancel through `domjobabort`. */
export async function performLibvirt(request: MigrationRequest, options: MigrationOptions, st: LibvirtMigrationState, facts: LibvirtFacts): Promise<void> {
  const { sourceVirsh, sourceDomain } = facts;
  if (facts.downtimeLimitMs !== undefined) {
    await sourceVirsh.run(['migrate-setmaxdowntime', sourceDomain, String(facts.downtimeLimitMs)]);
  }
  const argv = [
    'migrate',
    '--live',
    '--p2p',
    '--persistent',
    '--undefinesource',
    ...(facts.sourceRunState === 'paused' ? ['--suspend'] : []),
    ...facts.tuningArgs,
    '--migrateuri',
    facts.migrateUri,
    '--dname',
    facts.destinationDomain,
    '--xml',
    st.xmlPath ?? '',
    sourceDomain,
    facts.peerUri,
  ];
  let done = false;
  let aborted = false;
  let timedOut = false;
  const started = Date.now();
  const migrating = sourceVirsh.run(argv, { timeoutMs: MIGRATE_TIMEOUT_MS }).finally(() => (done = true));
  const abort = (): void => {
    if (aborted || done) return;
    aborted = true;
    void sourceVirsh.runOnDomain(['domjobabort', sourceDomain]).catch(() => undefined);
  };
  options.signal?.addEventListener('abort', abort);
  if (options.signal?.aborted === true) abort();
  const postcopyOn = request.settings.capabilities.includes('postcopy');
  let postcopyNoted = false;
  const switchToPostcopy = async (why: string): Promise<void> => {
    if (st.switchedToPostcopy || done) return;
    if (!postcopyOn) {
      if (!postcopyNoted) options.onNote?.(`Cannot switch to postcopy (${why}): the postcopy capability was not enabled before the migration started.`);
      postcopyNoted = true;
      return;
    }
    st.switchedToPostcopy = true;
    await sourceVirsh.runOnDomain(['migrate-postcopy', sourceDomain]);
    options.onNote?.(`Switched to postcopy (${why}).`);
  };
  // Progress while it runs, and what the options ask for on the way; the loop ends with virsh.
  const polling = (async () => {
    while (!done) {
      await Promise.race([sleep(options.pollIntervalMs ?? DEFAULT_POLL_MS), migrating.catch(() => undefined)]);
      if (done) break;
      const progress = await domainJob(sourceVirsh, sourceDomain, false);
      if (progress !== undefined && !done) {
        st.lastProgress = progress;
        options.onProgress?.(progress);
      }
      const elapsed = Date.now() - started;
      if (options.controls?.wantsPostcopy === true) await switchToPostcopy('asked for').catch(() => undefined);
      else if (options.postcopyAfterMs !== undefined && elapsed >= options.postcopyAfterMs) await switchToPostcopy(`${Math.round(options.postcopyAfterMs / 1000)} s after the start`).catch(() => undefined);
      if (options.timeoutMs !== undefined && elapsed >= options.timeoutMs && !st.switchedToPostcopy && !timedOut) {
        timedOut = true;
        abort();
      }
    }
  })();
  try {
    await migrating;
  } catch (error) {
    if (timedOut) {
      throw new MigrationError(`The migration did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)} s and was aborted (virsh domjobabort).`, {
        phase: 'perform',
        hint: 'Allow longer, or make it converge (auto-converge, postcopy, more bandwidth).',
        cause: error,
      });
    }
    if (aborted || options.signal?.aborted === true) {
      throw new MigrationCancelledError('The migration was cancelled.', { phase: 'perform', hint: 'libvirt aborted the job (virsh domjobabort).', cause: error });
    }
    const said = error instanceof QemuLabError ? error.message : describeError(error);
    throw new MigrationError(`The migration failed in perform: ${said}`, {
      phase: 'perform',
      hint: `The source's libvirtd connects to ${facts.peerUri} itself (over its own root's SSH for qemu+ssh) and QEMU's stream goes to ${facts.migrateUri}: check both from host "${facts.sourceKey.host}", or give the address with --address.`,
      cause: error,
    });
  } finally {
    options.signal?.removeEventListener('abort', abort);
    await polling;
  }
}
