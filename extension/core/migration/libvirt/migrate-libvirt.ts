/**
 * Live migration of a lab VM between two libvirt hosts, through libvirt itself:
 * `virsh migrate --live --p2p --persistent --undefinesource` run on the source's machine (see
 * `peer.ts` for how the source reaches the destination). libvirt owns the protocol and its
 * rollback; this drives it through the same phases, progress samples and summary as a direct
 * migration, so the live panel, `--json`, `--during` and the store take it unchanged:
 *
 * - **begin**: the VM runs on a libvirt host, the destination is another libvirt host, the tuning
 *   maps to libvirt's (`tuning.ts`), the destination has no domain of this VM.
 * - **prepare**: the destination's run directory, the guest's kernel and initrd placed there, its
 *   port forwards chosen, and the domain XML it gets (`--xml`, `--dname`).
 * - **perform**: `virsh migrate`, `domjobinfo` polled on the source for progress; cancel =
 *   `virsh domjobabort` (libvirt resumes the source and removes the destination's domain).
 * - **finish**: the destination runs the domain; its `domjobinfo --completed` gives the figures.
 * - **confirm**: the port forwards added there, the record written on the destination and the
 *   home record pointing at it, the source's run files removed.
 * - **rollback** (after a failure): libvirt rolled back; the source's domain is checked and what
 *   prepare made is removed.
 *
 * One file per phase, as for a direct migration (`../begin.ts` …); this one strings them together
 * and turns a failure into a rollback and an error that carries the summary.
 */
import { describeError, QemuLabError } from '../../errors';
import type { VmRecord } from '../../machines/vm/vm-record';
import { MigrationCancelledError, MigrationError } from '../errors';
import { describeLocation } from '../location';
import { MigrationStateMachine, type MigrationStep } from '../phases';
import type { MigrationDependencies, MigrationOptions, MigrationRequest } from '../request';
import type { MigrationSummary } from '../summary';
import { beginLibvirt } from './begin';
import { confirmLibvirt } from './confirm';
import type { LibvirtMigrationState } from './context';
import { finishLibvirt } from './finish';
import { performLibvirt } from './perform';
import { prepareLibvirt } from './prepare';
import { rollbackLibvirt } from './rollback';
import { libvirtSummary } from './summary';

/**
 * Migrates a running VM between two libvirt hosts (see the file comment). Resolves with the
 * summary once the destination runs the domain and the source has none.
 *
 * @throws MigrationError (or {@link MigrationCancelledError}): the VM then still runs on its
 *   source (libvirt's rollback), and `error.summary` holds what was measured.
 */
export async function migrateLibvirtVm(request: MigrationRequest, deps: MigrationDependencies, options: MigrationOptions = {}): Promise<MigrationSummary> {
  const st: LibvirtMigrationState = { machine: new MigrationStateMachine(options.onPhase), startedAt: new Date(), forwards: [], switchedToPostcopy: false, warnings: [] };
  const note = (text: string): void => options.onNote?.(text);
  try {
    options.signal?.throwIfAborted();
    st.facts = await beginLibvirt(request, deps, options);
  } catch (error) {
    const cancelled = options.signal?.aborted === true;
    st.machine.advance(cancelled ? 'cancelled' : 'failed');
    if (error instanceof MigrationError) throw error;
    const message = error instanceof QemuLabError ? error.message : describeError(error);
    const Kind = cancelled ? MigrationCancelledError : MigrationError;
    throw new Kind(cancelled ? 'The migration was cancelled.' : `The migration failed in begin: ${message}`, { phase: 'begin', hint: error instanceof QemuLabError ? error.hint : undefined, cause: error });
  }
  const facts = st.facts;
  note(`Migrating ${request.vmName} from ${describeLocation(facts.sourceKey)} to ${describeLocation(facts.destinationLocation)} through libvirt: the source's libvirtd connects to ${facts.peerUri}, QEMU's stream goes to ${facts.migrateUri}.`);
  st.machine.advance('ok');
  let record: VmRecord | undefined;
  for (;;) {
    const step = st.machine.phase;
    if (step === 'done') break;
    try {
      if (step === 'prepare') {
        options.signal?.throwIfAborted();
        await prepareLibvirt(request, deps, st, facts);
      } else if (step === 'perform') {
        options.signal?.throwIfAborted();
        await performLibvirt(request, options, st, facts);
      } else if (step === 'finish') await finishLibvirt(options, st, facts);
      else if (step === 'confirm') record = await confirmLibvirt(deps, st, facts);
      else throw new Error(`Unexpected phase ${step}`);
      st.machine.advance('ok');
    } catch (error) {
      const cancelled = error instanceof MigrationCancelledError || options.signal?.aborted === true;
      const failure =
        error instanceof MigrationError
          ? error
          : new (cancelled ? MigrationCancelledError : MigrationError)(cancelled ? 'The migration was cancelled.' : `The migration failed in ${step}: ${error instanceof QemuLabError ? error.message : describeError(error)}`, {
              phase: step as MigrationStep,
              hint: error instanceof QemuLabError ? error.hint : undefined,
              cause: error,
            });
      st.machine.advance(cancelled ? 'cancelled' : 'failed');
      const problems = await rollbackLibvirt(deps, st);
      st.machine.advance(cancelled ? 'cancelled' : 'failed');
      const hint = [failure.hint, problems.length > 0 ? `After libvirt's rollback: ${problems.join(' ')}` : `VM "${request.vmName}" runs on "${facts.sourceKey.host}" as before; the destination has no domain of it.`]
        .filter((p) => p !== undefined)
        .join(' ');
      const Kind = cancelled ? MigrationCancelledError : MigrationError;
      throw new Kind(failure.message, { phase: step as MigrationStep, hint, cause: failure.cause ?? failure, summary: libvirtSummary(request, st, cancelled ? 'cancelled' : 'failed', failure.message, step, facts.source.ssh) });
    }
  }
  for (const warning of st.warnings) note(warning);
  return libvirtSummary(request, st, 'completed', st.warnings.length > 0 ? st.warnings.join(' ') : undefined, 'done', record?.ssh);
}
