import { describe, expect, it } from 'vitest';
import { HostError } from '../../../extension/core/errors';
import { findQemu, parseQemuVersion } from '../../../extension/core/infrastructure/hosts/probes/qemu-binary';

describe('parseQemuVersion', () => {
  it('reads Debian 12 QEMU', () => {
    const v = parseQemuVersion('QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright (c) 2003-2022 Fabrice Bellard\n');
    expect(v).toMatchObject({ major: 7, minor: 2, micro: 22 });
    expect(v?.text).toBe('QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)');
  });
  it('rejects other output', () => {
    expect(parseQemuVersion('bash: qemu: command not found')).toBeUndefined();
  });
});

describe('findQemu', () => {
  it('finds the real QEMU on this machine', async () => {
    const { version } = await findQemu({ PATH: process.env.PATH });
    expect(version.major).toBeGreaterThanOrEqual(7);
  });
  it('says how to install QEMU when it is missing', async () => {
    const error = await findQemu({ PATH: process.env.PATH, QEMU_LAB_QEMU: 'qemu-system-does-not-exist' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).hint).toMatch(/apt-get install qemu-system-x86/);
  });
});
