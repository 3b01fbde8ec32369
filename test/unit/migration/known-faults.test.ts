import { describe, expect, it } from 'vitest';
import { tcgMigrationWarning } from '../../../extension/core/migration/known-faults';

const v = (major: number, minor: number) => ({ major, minor, micro: 0, text: `QEMU emulator version ${major}.${minor}.0` });

describe('tcgMigrationWarning', () => {
  it('warns of 7.x under TCG on either side, naming the QEMU to use instead', () => {
    expect(tcgMigrationWarning(v(7, 2), v(7, 2), 'tcg')).toMatch(/^QEMU 7\.2 under TCG has corrupted guests that were busy .*qemu-lab qemu install 11\.1/);
    expect(tcgMigrationWarning(v(11, 1), v(7, 2), 'tcg')).toMatch(/^QEMU 7\.2 /);
  });

  it('says nothing under KVM, or when both sides run a newer QEMU', () => {
    expect(tcgMigrationWarning(v(7, 2), v(7, 2), 'kvm')).toBeUndefined();
    expect(tcgMigrationWarning(v(11, 1), v(11, 1), 'tcg')).toBeUndefined();
    expect(tcgMigrationWarning(v(8, 0), v(10, 0), 'tcg')).toBeUndefined();
  });
});
