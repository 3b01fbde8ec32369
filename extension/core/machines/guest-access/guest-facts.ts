/**
 * The guest's own view of what it runs on — its kernel and the CPU model it is shown — recorded
 * beside the host's facts, so a reader sees what the guest saw (under TCG a QEMU model, under
 * KVM the host's model or the one `-cpu` chose).
 */
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import type { GuestSshEndpoint } from '../vm/vm-record';
import { runInGuest } from './guest-ssh';

/** What the guest reports of itself; a fact it did not give is absent. */
export interface GuestFacts {
  /** `uname -r` in the guest. */
  readonly kernel?: string;
  /** The first `model name` of the guest's /proc/cpuinfo. */
  readonly cpu?: string;
}

/** One line per fact, tagged, so a missing fact cannot shift the other into its place. */
const FACTS_SCRIPT = 'echo "kernel=$(uname -r)"; echo "cpu=$(grep -m1 "^model name" /proc/cpuinfo | cut -d: -f2-)"';

/** The longest fact kept: a guest's answer is input, not the place for a page of text. */
const MAX_FACT_LENGTH = 120;

/**
 * A fact as printed by the guest, kept to the characters kernel releases and CPU model names use
 * (no `|`, backquote or `*`, which would break or format a Markdown table); undefined when empty.
 */
function cleanFact(text: string | undefined): string | undefined {
  const cleaned = (text ?? '').replace(/[^A-Za-z0-9 ._:@()+,/-]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_FACT_LENGTH).trim();
  return cleaned === '' ? undefined : cleaned;
}

/** Reads the output of {@link FACTS_SCRIPT}. */
export function parseGuestFacts(stdout: string): GuestFacts {
  const value = (key: string) => cleanFact(stdout.split('\n').find((line) => line.startsWith(`${key}=`))?.slice(key.length + 1));
  const kernel = value('kernel');
  const cpu = value('cpu');
  return { ...(kernel === undefined ? {} : { kernel }), ...(cpu === undefined ? {} : { cpu }) };
}

/** Asks the guest over SSH; a guest that does not answer gives no facts rather than failing a run. */
export async function readGuestFacts(system: HostSystem, endpoint: GuestSshEndpoint, signal?: AbortSignal): Promise<GuestFacts> {
  const result = await runInGuest(system, endpoint, ['sh', '-c', FACTS_SCRIPT], { timeoutMs: 20_000, check: false, signal }).catch(() => undefined);
  return result?.exitCode === 0 ? parseGuestFacts(result.stdout) : {};
}
