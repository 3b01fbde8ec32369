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
    expect((error as HostError).hint).toMatch(/^hosts\.local\.qemu in the lab file names \/nonexistent\/qemu-system-x86_64; check/);
    const overridden = await findQemu({ PATH: process.env.PATH, QEMU_LAB_QEMU: 'qemu-system-x86_64' }, new LocalHostSystem(), { kind: 'path', path: '/nonexistent/q' });
    expect(overridden.binary).toBe('qemu-system-x86_64');
  });
  it('says how to install a version the host does not have', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'qemu-lab-cache-'));
    try {
      const error = await findQemu({ PATH: process.env.PATH, QEMU_LAB_CACHE_DIR: cache }, new LocalHostSystem(), { kind: 'version', version: '11.1' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostError);
      expect((error as HostError).message).toBe('QEMU 11.1 is not installed on host "local" (hosts.local.qemu in the lab file asks for it).');
      expect((error as HostError).hint).toMatch(/qemu-lab qemu install 11\.1 /);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('takes QEMU_LAB_HOST_QEMU for a host the lab file names no QEMU for: its own entry, else "*"', async () => {
    const env = { PATH: process.env.PATH, QEMU_LAB_HOST_QEMU: JSON.stringify({ local: '/usr/bin/qemu-system-x86_64', '*': '/nonexistent/q' }) };
    expect((await findQemu(env, new LocalHostSystem())).binary).toBe('/usr/bin/qemu-system-x86_64');
    const error = await findQemu({ ...env, QEMU_LAB_HOST_QEMU: JSON.stringify({ '*': '/nonexistent/q' }) }, new LocalHostSystem()).catch((e: unknown) => e);
    expect((error as HostError).hint).toMatch(/^QEMU_LAB_HOST_QEMU \(the editor's qemuLab\.hostQemu setting\) names \/nonexistent\/q; check/);
    // The lab file's own entry wins over it.
    expect((await findQemu({ ...env, QEMU_LAB_HOST_QEMU: JSON.stringify({ local: '/nonexistent/q' }) }, new LocalHostSystem(), { kind: 'path', path: '/usr/bin/qemu-system-x86_64' })).binary).toBe(
      '/usr/bin/qemu-system-x86_64',
    );
  });
  it('refuses a QEMU_LAB_HOST_QEMU that is not an object of versions and paths, saying how to write it', async () => {
    for (const value of ['{local:', '["11.1"]', '{"local":"-version"}', '{"local":7}']) {
      const error = await findQemu({ PATH: process.env.PATH, QEMU_LAB_HOST_QEMU: value }, new LocalHostSystem()).catch((e: unknown) => e);
      expect(error, value).toBeInstanceOf(HostError);
      expect((error as HostError).hint, value).toMatch(/JSON object of host name → QEMU version or absolute path/);
    }
  });
});
