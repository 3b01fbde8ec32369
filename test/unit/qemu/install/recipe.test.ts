import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageVersionIn } from '../../../../extension/core/infrastructure/qemu/install/install';
import { parseInstallRecord } from '../../../../extension/core/infrastructure/qemu/install/installed';
import { DEBIAN_QEMU_SOURCES, mmdebstrapArgs, parseVersionRequest, versionMatches, wrapperScript } from '../../../../extension/core/infrastructure/qemu/install/recipe';

const scratch = mkdtempSync(join(tmpdir(), 'qemu-lab-recipe-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('mmdebstrapArgs', () => {
  it('is the measured command line: essential variant, backports first, QEMU and qemu-img, the host mirror for every suite', () => {
    expect(mmdebstrapArgs({ mirror: 'http://mirror.example/debian', source: DEBIAN_QEMU_SOURCES[0]!, target: '/c/qemu/.build-x/root' })).toEqual([
      '--variant=essential',
      '--aptopt=APT::Default-Release "trixie-backports"',
      '--include=qemu-system-x86,qemu-utils,qemu-system-modules-opengl,qemu-system-modules-spice,qemu-block-extra',
      'trixie',
      '/c/qemu/.build-x/root',
      'deb http://mirror.example/debian trixie main',
      'deb http://mirror.example/debian trixie-backports main',
    ]);
  });
});

describe('version requests', () => {
  it('reads 11.1 and 11.1.3, nothing else', () => {
    expect(parseVersionRequest('11.1')).toEqual({ major: 11, minor: 1 });
    expect(parseVersionRequest(' 11.1.3 ')).toEqual({ major: 11, minor: 1, micro: 3 });
    for (const bad of ['11', 'latest', '11.1.3.4', '../11.1', '-11.1', '']) expect(parseVersionRequest(bad)).toBeUndefined();
  });
  it('11.1 matches any 11.1.x; 11.1.3 only itself', () => {
    expect(versionMatches({ major: 11, minor: 1, micro: 3 }, { major: 11, minor: 1 })).toBe(true);
    expect(versionMatches({ major: 11, minor: 1, micro: 3 }, { major: 11, minor: 1, micro: 2 })).toBe(false);
    expect(versionMatches({ major: 11, minor: 0, micro: 3 }, { major: 11, minor: 1 })).toBe(false);
  });
});

describe('wrapperScript', () => {
  it('runs the root next to it through its loader, with -L and QEMU_MODULE_DIR, wherever the folder is moved', () => {
    // A fake root whose "loader" prints what it was given: the script itself is what is tested.
    for (const place of ['a', 'moved elsewhere']) {
      const dir = join(scratch, place);
      mkdirSync(join(dir, 'root', 'lib64'), { recursive: true });
      writeFileSync(join(dir, 'root', 'lib64', 'ld-linux-x86-64.so.2'), '#!/bin/sh\nprintf "%s\\n" "QEMU_MODULE_DIR=$QEMU_MODULE_DIR" "$@"\n');
      chmodSync(join(dir, 'root', 'lib64', 'ld-linux-x86-64.so.2'), 0o755);
      writeFileSync(join(dir, 'qemu-system-x86_64'), wrapperScript('qemu-system-x86_64', 'QEMU from Debian trixie-backports'));
      chmodSync(join(dir, 'qemu-system-x86_64'), 0o755);
      const root = join(dir, 'root');
      const printed = execFileSync(join(dir, 'qemu-system-x86_64'), ['-machine', 'help', 'two words'], { encoding: 'utf8' }).trim().split('\n');
      expect(printed).toEqual([
        `QEMU_MODULE_DIR=${root}/usr/lib/x86_64-linux-gnu/qemu`,
        '--inhibit-cache',
        '--argv0',
        `${root}/usr/bin/qemu-system-x86_64`,
        '--library-path',
        `${root}/usr/lib/x86_64-linux-gnu:${root}/lib/x86_64-linux-gnu`,
        `${root}/usr/bin/qemu-system-x86_64`,
        '-L',
        `${root}/usr/share/qemu`,
        '-L',
        `${root}/usr/share/seabios`,
        '-machine',
        'help',
        'two words',
      ]);
    }
  });
  it('gives qemu-img no firmware options', () => {
    expect(wrapperScript('qemu-img', 'x')).not.toMatch(/-L /);
  });
});

describe('install records and dpkg status', () => {
  const record = { format: 1, version: '11.1.3', versionText: 'QEMU emulator version 11.1.3 (Debian 1:11.1.3+ds-2~bpo13+1)', source: 'Debian trixie-backports', package: '1:11.1.3+ds-2~bpo13+1', installedAt: '2026-12-02T11:40:00.000Z', buildSeconds: 160.2 };
  it('reads a record that names its own folder', () => {
    expect(parseInstallRecord(JSON.stringify(record), '11.1.3')).toEqual(record);
  });
  it('refuses a record for another folder, a bad version, missing or odd fields', () => {
    expect(parseInstallRecord(JSON.stringify(record), '11.1.2')).toBeUndefined();
    expect(parseInstallRecord(JSON.stringify({ ...record, version: '../x' }), '../x')).toBeUndefined();
    expect(parseInstallRecord(JSON.stringify({ ...record, source: 'a\nb' }), '11.1.3')).toBeUndefined();
    expect(parseInstallRecord(JSON.stringify({ ...record, buildSeconds: -1 }), '11.1.3')).toBeUndefined();
    expect(parseInstallRecord('{', '11.1.3')).toBeUndefined();
    expect(parseInstallRecord('null', '11.1.3')).toBeUndefined();
  });
  it('finds a package version in a dpkg status file', () => {
    const status = 'Package: qemu-system-x86-xen\nVersion: 9\n\nPackage: qemu-system-x86\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:11.1.3+ds-2~bpo13+1\n\nPackage: zlib1g\nVersion: 1\n';
    expect(packageVersionIn(status, 'qemu-system-x86')).toBe('1:11.1.3+ds-2~bpo13+1');
    expect(packageVersionIn(status, 'qemu-utils')).toBeUndefined();
  });
});
