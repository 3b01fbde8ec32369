/**
 * Faults of a QEMU release seen here that a migration can run into, said before it starts so a
 * user can pick another QEMU. Pure.
 */
import type { QemuVersion } from '../infrastructure/hosts/probes/qemu-binary';

/**
 * The warning for a TCG guest migrating on QEMU 7.x, or undefined. Seen here on Debian 12's 7.2
 * (README, "Live migration"): a guest busy writing memory, or receiving a network stream at the
 * switch-over, sometimes came out corrupted on the destination (a kernel panic or a virtio error;
 * also with a bare QMP script, so not QEMU Lab's doing). 11.1 did not show it in the same runs.
 */
export function tcgMigrationWarning(source: QemuVersion, destination: QemuVersion, accel: string): string | undefined {
  if (accel !== 'tcg') return undefined;
  const old = [source, destination].find((version) => version.major < 8);
  if (old === undefined) return undefined;
  return (
    `QEMU ${old.major}.${old.minor} under TCG has corrupted guests that were busy (writing memory, or receiving network traffic) during a migration here: ` +
    'an idle guest moves safely. For a busy guest use QEMU 11.1 on both hosts (qemu-lab qemu install 11.1; hosts.NAME.qemu: "11.1").'
  );
}
