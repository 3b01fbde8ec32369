import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  GUEST_ETC_FILES,
  GUEST_HOST_KEY_PATH,
  GUEST_MODULE_LIST_PATH,
  INIT_SCRIPT,
  POWER_BUTTON_SCRIPT,
  READY_MARKER,
} from '../../../extension/core/machines/guest-image/init-script';

const BUSYBOX = ['/usr/bin/busybox', '/bin/busybox'].find((path) => existsSync(path));

describe('the guest /init', () => {
  it('is a shell script that prints the readiness line and reads the qemulab.* parameters', () => {
    expect(INIT_SCRIPT.startsWith('#!/bin/sh\n')).toBe(true);
    expect(INIT_SCRIPT).toContain(`echo "${READY_MARKER}"`);
    for (const parameter of ['qemulab.ip=', 'qemulab.gw=', 'qemulab.hostname=']) expect(INIT_SCRIPT).toContain(parameter);
    expect(INIT_SCRIPT).toContain(GUEST_MODULE_LIST_PATH);
    expect(INIT_SCRIPT).toContain(`dropbear -r ${GUEST_HOST_KEY_PATH}`);
    // Port 22 in /proc/net/tcp is 0016.
    expect(INIT_SCRIPT).toContain(':0016 ');
    expect(INIT_SCRIPT).not.toContain('${DEFAULT');
  });

  it.skipIf(BUSYBOX === undefined)('parses with busybox sh -n', () => {
    for (const script of [INIT_SCRIPT, POWER_BUTTON_SCRIPT]) {
      expect(() => execFileSync(BUSYBOX as string, ['sh', '-n'], { input: script, stdio: ['pipe', 'pipe', 'pipe'] })).not.toThrow();
    }
  });

  it('handles the power button and has root without password', () => {
    expect(GUEST_ETC_FILES['/etc/acpi/PWRF/00000080']?.text).toContain('poweroff -f');
    expect(GUEST_ETC_FILES['/etc/acpi/PWRF/00000080']?.mode).toBe(0o755);
    expect(GUEST_ETC_FILES['/etc/shadow']?.text).toMatch(/^root:\*:/);
  });
});
