/**
 * The migration capabilities a COLO side needs, decided by what its QEMU says. Every QEMU with
 * COLO sets `x-colo`; newer ones (11.1.3 measured here) refuse `x-colo` alone ("Capability
 * 'x-colo' requires capability 'return-path'") and need `return-path` set with it, on both
 * sides. Older ones (7.2) take `x-colo` alone — and are left exactly so: COLO there opens its
 * own return path, and the measured 7.2 behaviour must not change under them.
 *
 * No version table and no parsing of QEMU's error text: `query-migrate-capabilities` says whether
 * this QEMU has `return-path` at all, and a refusal of `x-colo` alone is answered by asking once
 * more with `return-path` beside it.
 */
import { isQmpArray, isQmpObject, type QmpValue } from '../infrastructure/qmp/messages';
import { ColoError } from './errors';

/** The capability that turns a migration into COLO. */
export const X_COLO = 'x-colo';
/** The capability newer QEMUs require beside `x-colo`. */
export const RETURN_PATH = 'return-path';

/** The names in a `query-migrate-capabilities` reply (`[{capability, state}, …]`). */
export function listedCapabilities(reply: QmpValue): string[] {
  if (!isQmpArray(reply)) return [];
  return reply.flatMap((entry) => (isQmpObject(entry) && typeof entry.capability === 'string' ? [entry.capability] : []));
}

/** The `migrate-set-capabilities` arguments that set each named capability to `state`. */
export function capabilityArgs(names: readonly string[], state: boolean): { capabilities: { capability: string; state: boolean }[] } {
  return { capabilities: names.map((capability) => ({ capability, state })) };
}

/**
 * The sets to try, in order, on a QEMU that lists `listed`: `x-colo` alone first; then, when
 * this QEMU has `return-path`, `x-colo` with `return-path`. A QEMU without `x-colo` has no COLO.
 *
 * @throws ColoError when `x-colo` is not listed.
 */
export function coloCapabilityAttempts(listed: readonly string[], qemu: string): string[][] {
  if (!listed.includes(X_COLO)) {
    throw new ColoError(`This QEMU (${qemu}) has no migration capability "${X_COLO}": it was built without COLO.`, {
      hint: 'Use a QEMU built with replication support (Debian’s qemu-system-x86 is).',
    });
  }
  return listed.includes(RETURN_PATH) ? [[X_COLO], [X_COLO, RETURN_PATH]] : [[X_COLO]];
}

/** How a side is asked: one QMP command, failing as QEMU fails it. */
export type AskQmp = (name: string, args?: Record<string, QmpValue>) => Promise<QmpValue>;

/**
 * Sets COLO's capabilities on one side and returns the set QEMU took. `known` (the set the
 * other side already took — both sides run the same QEMU release) is set as it is; else the
 * attempts of {@link coloCapabilityAttempts} run until QEMU takes one.
 *
 * @param who - the side, for the error: `the COLO secondary of VM "vm1"`.
 * @throws ColoError naming every set QEMU refused, with its words.
 */
export async function setColoCapabilities(ask: AskQmp, who: string, qemu: string, known?: readonly string[]): Promise<string[]> {
  const attempts = known !== undefined ? [[...known]] : coloCapabilityAttempts(listedCapabilities(await ask('query-migrate-capabilities')), qemu);
  const refusals: string[] = [];
  for (const names of attempts) {
    try {
      await ask('migrate-set-capabilities', capabilityArgs(names, true));
      return names;
    } catch (error) {
      refusals.push(`${names.join(' + ')}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new ColoError(`${who.charAt(0).toUpperCase()}${who.slice(1)} (${qemu}) refused every set of COLO capabilities — ${refusals.join('; ')}`, {
    hint: 'QEMU’s words above say which capability it wants; this QEMU may not support COLO.',
  });
}
