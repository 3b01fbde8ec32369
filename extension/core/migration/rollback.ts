/**
 * Rollback: whatever failed, the VM keeps running on the source and no destination QEMU is
 * left. Cancel the migration if it still runs, end a disk copy (the source's mirror job and NBD
 * client node; the copy's overlay on the destination goes once its QEMU is gone), end the destination QEMU (trying for a while: its
 * host may be unreachable for a moment, as when a link was cut) and remove its files, resume
 * the source if the migration stopped it, and put the source's migration settings back.
 * Each step is tried even when an earlier one failed; what did not work is returned.
 *
 * One exception: once the source handed the guest over (`completed`), the destination may run
 * it. Then the source is resumed only when the destination QEMU is known to be gone; else it
 * stays paused, and the report says how to decide — two running copies of one guest (split
 * brain) would each write its disk and answer on its address.
 */
import { describeError } from '../errors';
import { isQmpObject } from '../infrastructure/qmp/messages';
import { isOurQemu } from '../machines/vm/process';
import type { VmInstance } from '../machines/vm/backend';
import { restoreCapabilityArguments } from './capabilities';
import { abandonMirror } from './disk-copy';
import type { BeginFacts, MigrationContext } from './context';
import { sleep } from '../infrastructure/support/sleep';

const DEFAULT_WINDOW_MS = 60_000;

/** What the rollback found and could not do. */
export interface RollbackReport {
  /** Problems left behind, each a sentence. */
  readonly problems: string[];
  /** The last lines the destination QEMU wrote (why it failed, often). */
  readonly destinationSaid: string | undefined;
}

async function statusOf(ctx: MigrationContext, command: 'query-status' | 'query-migrate'): Promise<string | undefined> {
  const reply = await (ctx.begin as BeginFacts).sourceLink.execute(command, undefined, { idempotent: true, timeoutMs: 5_000 });
  return isQmpObject(reply) && typeof reply.status === 'string' ? reply.status : undefined;
}

async function cancelOnSource(ctx: MigrationContext): Promise<void> {
  const active = ['setup', 'active', 'pre-switchover', 'device', 'wait-unplug', 'cancelling'];
  let status = await statusOf(ctx, 'query-migrate');
  if (status === undefined || !active.includes(status)) return;
  if (status !== 'cancelling') await (ctx.begin as BeginFacts).sourceLink.execute('migrate_cancel');
  const deadline = Date.now() + 15_000;
  while (status !== undefined && active.includes(status) && Date.now() < deadline) {
    await sleep(100);
    status = await statusOf(ctx, 'query-migrate');
  }
}

async function endDestination(ctx: MigrationContext, facts: BeginFacts, report: { destinationSaid: string | undefined }): Promise<void> {
  await ctx.destinationLink?.close().catch(() => undefined);
  const { backend } = ctx.deps;
  const deadline = Date.now() + (ctx.options.rollbackWindowMs ?? DEFAULT_WINDOW_MS);
  let last: unknown;
  for (;;) {
    try {
      const found: VmInstance | undefined = ctx.destination ?? (await backend.findAt(facts.destinationKey));
      if (found === undefined) return;
      const system = facts.destinationSystem;
      const said = ((await system.readText(found.record.files.stderrLog)) ?? '').trim().split('\n').filter((l) => l.trim() !== '').slice(-3).join('\n');
      if (said !== '') report.destinationSaid = said;
      if (found.pid !== undefined && (await isOurQemu(system, found.pid, found.record.files.pidFile))) await backend.kill(found);
      if (found.pid !== undefined && (await isOurQemu(system, found.pid, found.record.files.pidFile))) throw new Error(`pid ${found.pid} is still running`);
      await backend.removeRunFiles(found.record, { keepRecord: false });
      return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw last;
    await sleep(1_000);
  }
}

async function resumeSource(ctx: MigrationContext, facts: BeginFacts): Promise<void> {
  if (facts.sourceRunState !== 'running') return;
  let state = await statusOf(ctx, 'query-status');
  // After `completed` the source sits in postmigrate (stopped, disks handed over): `cont` takes them back.
  if (state !== 'running') await facts.sourceLink.execute('cont');
  const deadline = Date.now() + 10_000;
  while (state !== 'running' && Date.now() < deadline) {
    await sleep(100);
    state = await statusOf(ctx, 'query-status');
  }
  if (state !== 'running') throw new Error(`it is ${state ?? 'unknown'} after cont`);
}

/**
 * Whether the source may have handed the guest over to the destination: it sent everything
 * (`completed`), or it cannot say (then resuming it is not safe either).
 */
async function handedOver(ctx: MigrationContext): Promise<boolean> {
  if (!ctx.migrateSent) return false;
  const status = await statusOf(ctx, 'query-migrate').catch(() => undefined);
  return status === undefined || status === 'completed' || status.startsWith('postcopy');
}

/** The report's sentence when the source stays paused: why, and the commands that decide. */
function leftPaused(ctx: MigrationContext, facts: BeginFacts): string {
  const vm = facts.vm.name;
  const from = facts.sourceKey.host;
  const to = facts.destinationKey.host;
  const pid = ctx.destination?.pid;
  const qemu = pid === undefined ? 'its QEMU' : `its QEMU (pid ${pid})`;
  return (
    `VM "${vm}" is left paused on "${from}" (its source was not resumed): the source had handed the guest over, ` +
    `and the destination QEMU on "${to}" could not be ended, so it may be running the guest — resuming the source too would run two copies of one guest. ` +
    `Check on "${to}" whether ${qemu} still runs: if it is gone, resume the source with \`qemu-lab resume ${vm}\`; ` +
    `if it runs the guest, that copy is the live one: end the source with \`qemu-lab kill ${vm}\` (the copy on "${to}" then runs outside qemu-lab's records; end it there by its pid when done).`
  );
}

/** Runs the rollback; never throws. */
export async function rollback(ctx: MigrationContext): Promise<RollbackReport> {
  const problems: string[] = [];
  const report: { destinationSaid: string | undefined } = { destinationSaid: undefined };
  const facts = ctx.begin;
  if (facts === undefined) return { problems, destinationSaid: undefined };
  /** Runs one step; says whether it worked. */
  const step = async (what: string, run: () => Promise<void>): Promise<boolean> => {
    try {
      await run();
      return true;
    } catch (error) {
      problems.push(`${what}: ${describeError(error)}`);
      return false;
    }
  };
  if (ctx.postcopyStarted) {
    // The guest runs on the destination and part of its memory is only there: ending either QEMU loses it.
    problems.push('The migration failed after switching to postcopy: the guest state is split between the hosts, so neither QEMU was ended. Check which one runs the guest (qemu-lab status) before ending the other.');
    await facts.sourceLink.close();
    await ctx.destinationLink?.close();
    return { problems, destinationSaid: undefined };
  }
  if (ctx.migrateSent) await step('Cancelling the migration on the source', () => cancelOnSource(ctx));
  if (ctx.mirrorStarted) await step('Ending the disk copy on the source', () => abandonMirror(facts.sourceLink));
  const destinationGone = !ctx.destinationStarted || (await step('Ending the destination QEMU', () => endDestination(ctx, facts, report)));
  const copyTarget = ctx.destinationDisk;
  if (destinationGone && copyTarget !== undefined && copyTarget.file !== facts.disk?.source.file) {
    // The copy's overlay was made for this attempt (never a disk that was there before: see boot-disk.ts).
    await step(`Removing the disk copy ${copyTarget.file} on "${facts.destinationKey.host}"`, () => facts.destinationSystem.removeFiles([copyTarget.file]));
  }
  if (destinationGone || !(await handedOver(ctx))) await step('Resuming the source', () => resumeSource(ctx, facts));
  else problems.push(leftPaused(ctx, facts));
  if (ctx.sourceBefore !== undefined) {
    const before = ctx.sourceBefore;
    await step("Restoring the source's migration settings", async () => {
      await facts.sourceLink.execute('migrate-set-capabilities', restoreCapabilityArguments(before.capabilities));
      if (Object.keys(before.parameters).length > 0) await facts.sourceLink.execute('migrate-set-parameters', before.parameters);
    });
  }
  const { source, sourceSystem } = facts;
  if (!(await isOurQemu(sourceSystem, source.pid as number, source.record.files.pidFile).catch(() => false))) {
    problems.push(`The source QEMU of VM "${facts.vm.name}" is no longer running.`);
  }
  await facts.sourceLink.close();
  return { problems, destinationSaid: report.destinationSaid };
}
