import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostError } from '../../../extension/core/errors';
import { LocalHostSystem } from '../../../extension/core/infrastructure/hosts/system/host-system';
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
  it("uses the host's qemu: path, and QEMU_LAB_QEMU over it", async () => {
    const { binary } = await findQemu({ PATH: process.env.PATH }, new LocalHostSystem(), { kind: 'path', path: '/usr/bin/qemu-system-x86_64' });
    expect(binary).toBe('/usr/bin/qemu-system-x86_64');
    const error = await findQemu({ PATH: process.env.PATH }, new LocalHostSystem(), { kind: 'path', path: '/nonexistent/qemu-system-x86_64' }).catch((e: unknown) => e);
    expect((error as HostError).hint).toMatch(/The lab file names \/nonexistent\/qemu-system-x86_64/);
    const overridden = await findQemu({ PATH: process.env.PATH, QEMU_LAB_QEMU: 'qemu-system-x86_64' }, new LocalHostSystem(), { kind: 'path', path: '/nonexistent/q' });
    expect(overridden.binary).toBe('qemu-system-x86_64');
  });
  it('says how to install a version the host does not have', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'qemu-lab-cache-'));
    try {
      const error = await findQemu({ PATH: process.env.PATH, QEMU_LAB_CACHE_DIR: cache }, new LocalHostSystem(), { kind: 'version', version: '11.1' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostError);
      expect((error as HostError).message).toBe('QEMU 11.1 is not installed on host "local" (the lab file asks for it: hosts.local.qemu).');
      expect((error as HostError).hint).toMatch(/qemu-lab qemu install 11\.1 /);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
