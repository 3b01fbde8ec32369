/**
 * Finish (on the destination): the migration counts as done only when the destination runs the
 * guest. The source says `completed` as soon as it sent the last bytes, while the destination
 * may still be `inmigrate` loading them (seen here: ~15 ms later under TCG) — or may fail to.
 */
import { isQmpObject } from '../infrastructure/qmp/messages';
import type { BeginFacts, MigrationContext } from './context';
import { MigrationError } from './errors';
import { QmpLink } from './qmp-link';
import { sleep } from '../infrastructure/support/sleep';

const DEFAULT_FINISH_MS = 30_000;
const POLL_MS = 20;

/** Waits until the destination runs the guest (or is paused, when the source was); returns its run state. */
export async function finish(ctx: MigrationContext): Promise<string> {
  const facts = ctx.begin as BeginFacts;
  const link = ctx.destinationLink as QmpLink;
  const want = facts.sourceRunState === 'running' ? 'running' : 'paused';
  const deadline = Date.now() + (ctx.options.finishTimeoutMs ?? 30_000);
  let state = 'unknown';
  for (;;) {
    const status = await link.execute('query-status', undefined, { idempotent: true });
    state = isQmpObject(status) && typeof status.status === 'string' ? status.status : 'unknown';
    if (state === want) return state;
    if (state !== 'inmigrate' && state !== 'prelaunch' && !(want === 'running' && state === 'paused')) {
      const migrate = await link.execute('query-migrate', undefined, { idempotent: true }).catch(() => undefined);
      const why = isQmpObject(migrate) && typeof migrate['error-desc'] === 'string' ? `: ${migrate['error-desc']}` : '';
      throw new MigrationError(`The destination did not take over the guest: it is ${state}${why}.`, {
        phase: 'finish',
        hint: 'The source will be resumed; the destination QEMU log may say more.',
      });
    }
    if (Date.now() > deadline) {
      throw new MigrationError(`The destination was still ${state} ${Math.round((ctx.options.finishTimeoutMs ?? DEFAULT_FINISH_MS) / 1000)} s after the source completed.`, {
        phase: 'finish',
        hint: 'The destination could not load the guest state in time; the source will be resumed.',
      });
    }
    await sleep(POLL_MS);
  }
}
