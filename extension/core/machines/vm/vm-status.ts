import { isQmpObject, type QmpValue } from '../../infrastructure/qmp/messages';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { stateFromRunState, type VmState } from './vm-state';

/** A VM's status as `qemu-lab status` and the tree show it. */
export interface VmStatus {
  readonly vm: string;
  readonly host: string;
  readonly state: VmState;
  /** Why it is in that state, when it is not obvious: e.g. QEMU's last words when it died. */
  readonly reason: string | undefined;
  /** The accelerator in effect, from `query-kvm` (not from the lab file). */
  readonly accel: 'kvm' | 'tcg' | undefined;
  readonly nic: string | undefined;
  readonly ssh: { readonly host: string; readonly port: number } | undefined;
  readonly pid: number | undefined;
  /** The QEMU it runs: the program started, and its version from `query-version` while it answers. */
  readonly qemu?: { readonly binary: string; readonly version: string | undefined };
}

/** Reads `query-status` output into a state. */
export function stateFromQueryStatus(reply: QmpValue): VmState {
  if (isQmpObject(reply) && typeof reply.status === 'string') return stateFromRunState(reply.status);
  return 'error';
}

/** Reads `query-kvm` output: KVM is in effect only when it is both present and enabled. */
export function accelFromQueryKvm(reply: QmpValue): 'kvm' | 'tcg' {
  return isQmpObject(reply) && reply.enabled === true && reply.present === true ? 'kvm' : 'tcg';
}

/**
 * Why a VM's QEMU is gone, from what it left: its own error output, else the serial console's
 * last line (a guest that powered itself off says so there).
 */
export async function reasonForExit(system: HostSystem, files: { readonly stderrLog: string; readonly serialLog: string }): Promise<string> {
  const stderr = ((await system.readText(files.stderrLog)) ?? '').trim();
  const lastError = stderr.split('\n').filter((line) => line.trim() !== '').slice(-2).join(' ');
  if (lastError !== '') return `QEMU said: ${lastError}`;
  const serial = ((await system.readText(files.serialLog)) ?? '').trim();
  if (/reboot: Power down|System halted|poweroff/i.test(serial.split('\n').slice(-5).join('\n'))) return 'The guest powered off.';
  return 'QEMU exited without an error message.';
}
