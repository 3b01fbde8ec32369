/**
 * Confirm (on the source): the guest runs on the destination. Record that — the VM's home
 * record (and the source's, when the VM was elsewhere already) points at the destination, so
 * `find`, `status` and the tree show it there — then end the source QEMU. The pointer is
 * written first: a crash in between leaves a stale source, never a VM nobody can find.
 */
import { describeError } from '../errors';
import { isOurQemu, waitForExit } from '../machines/vm/process';
import type { BeginFacts, MigrationContext } from './context';
import { sameLocation } from './location';

/**
 * The disk was copied: the VM's disk is now the one on the destination, so the source's overlay
 * (older from the switch-over on) goes — left there, a later boot on that host would run on a
 * stale disk without a word.
 */
async function removeCopiedDisk(ctx: MigrationContext, facts: BeginFacts): Promise<void> {
  const disk = facts.disk;
  if (disk?.storage !== 'copy' || ctx.destinationDisk === undefined || ctx.destinationDisk.file === disk.source.file) return;
  try {
    await facts.sourceSystem.removeFiles([disk.source.file]);
  } catch (error) {
    ctx.warnings.push(`Could not remove the source's disk ${disk.source.file} on "${facts.sourceKey.host}" (the VM's disk is now ${ctx.destinationDisk.file} on "${facts.destinationKey.host}"): ${describeError(error)}`);
  }
}

/** Runs confirm. Problems become warnings: the migration itself succeeded. */
export async function confirm(ctx: MigrationContext): Promise<void> {
  const facts = ctx.begin as BeginFacts;
  const { backend } = ctx.deps;
  const at = new Date().toISOString();
  const to = { ...facts.destinationLocation, at };
  const home = { host: facts.home.host };
  try {
    if (!sameLocation(home, facts.destinationLocation)) await backend.markMoved(facts.home, to);
    if (!sameLocation(home, facts.sourceKey) && !sameLocation(facts.sourceKey, facts.destinationLocation)) await backend.markMoved(facts.sourceKey, to);
  } catch (error) {
    ctx.warnings.push(`Could not record that the VM moved: ${describeError(error)}`);
  }

  const { source, sourceSystem, sourceLink } = facts;
  const pid = source.pid as number;
  try {
    await sourceLink.execute('quit').catch(() => undefined); // The reply may not come: QEMU is gone.
    await sourceLink.close();
    if (!(await waitForExit(sourceSystem, pid, source.record.files.pidFile, 5_000))) {
      await sourceSystem.kill(pid);
      await waitForExit(sourceSystem, pid, source.record.files.pidFile, 5_000);
    }
    if (await isOurQemu(sourceSystem, pid, source.record.files.pidFile)) ctx.warnings.push(`The source QEMU (pid ${pid} on "${facts.sourceKey.host}") did not exit; end it by hand.`);
    else await removeCopiedDisk(ctx, facts);
  } catch (error) {
    ctx.warnings.push(`Could not end the source QEMU (pid ${pid} on "${facts.sourceKey.host}"): ${describeError(error)}`);
  }
  await ctx.destinationLink?.close();
}
