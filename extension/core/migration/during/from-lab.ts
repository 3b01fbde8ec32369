/**
 * The `--during` request a lab file's `migrations:` entry declares (`during:`, `duringSeconds:`),
 * with the lead and tail `migrate` uses by default.
 */
import type { MigrationSpec } from '../../lab/model';
import { DuringBenchmarkError } from '../errors';
import type { DuringRequest } from './session';
import { parseDuringList } from './spec';

/** `migrate`'s default seconds of benchmark before the migration starts and after it ended. */
export const DURING_DEFAULT_LEAD_SECONDS = 3;
export const DURING_DEFAULT_TAIL_SECONDS = 5;

/** The entry's benchmarks around the migration, or undefined when it declares none. */
export function duringRequestOf(spec: MigrationSpec): DuringRequest | undefined {
  if (spec.during.length === 0) return undefined;
  // The validator let through only items this parser reads; a model built some other way is checked again.
  const parsed = parseDuringList(spec.during.join(','));
  if (!parsed.ok) throw new DuringBenchmarkError(`Migration "${spec.name}": during: ${parsed.message}.`, { hint: 'Fix the during: list in the lab file (qemu-lab check shows where).' });
  return { specs: parsed.value, plan: { seconds: spec.duringSeconds, leadSeconds: DURING_DEFAULT_LEAD_SECONDS, tailSeconds: DURING_DEFAULT_TAIL_SECONDS } };
}
