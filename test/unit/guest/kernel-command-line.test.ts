import { describe, expect, it } from 'vitest';
import { GuestBuildError } from '../../../extension/core/errors';
import { guestKernelCommandLine } from '../../../extension/core/machines/guest-image/kernel-command-line';

describe('guestKernelCommandLine', () => {
  it('has the serial console and a quiet kernel by default', () => {
    expect(guestKernelCommandLine()).toBe('console=ttyS0 quiet');
    expect(guestKernelCommandLine({})).toBe('console=ttyS0 quiet');
  });

  it('adds the qemulab.* parameters that are given', () => {
    expect(guestKernelCommandLine({ ip: '192.168.100.11/24', gateway: '192.168.100.1', hostname: 'vm-1.lab' })).toBe(
      'console=ttyS0 quiet qemulab.ip=192.168.100.11/24 qemulab.gw=192.168.100.1 qemulab.hostname=vm-1.lab',
    );
    expect(guestKernelCommandLine({ hostname: 'node_2' })).toBe('console=ttyS0 quiet qemulab.hostname=node_2');
    expect(guestKernelCommandLine({ ip: 'fd00::5/64', gateway: 'fd00::1' })).toBe(
      'console=ttyS0 quiet qemulab.ip=fd00::5/64 qemulab.gw=fd00::1',
    );
  });

  it.each([
    [{ hostname: 'two words' }],
    [{ hostname: 'x;reboot' }],
    [{ hostname: '$(id)' }],
    [{ hostname: '' }],
    [{ hostname: 'quote"d' }],
    [{ hostname: 'tab\there' }],
    [{ hostname: 'x'.repeat(65) }],
    [{ ip: '10.0.0.1/24 init=/bin/sh' }],
    [{ ip: '10.0.0.1' }],
    [{ ip: '10.0.0.300/24' }],
    [{ ip: '10.0.0.1/33' }],
    [{ ip: 'host/24' }],
    [{ gateway: '10.0.0.1 quiet' }],
    [{ gateway: 'router' }],
    [{ gateway: '10.0.0.1/24' }],
  ])('rejects %j', (options) => {
    expect(() => guestKernelCommandLine(options)).toThrow(GuestBuildError);
  });

  it('says what is allowed', () => {
    try {
      guestKernelCommandLine({ hostname: 'a b' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GuestBuildError);
      expect((error as GuestBuildError).hint).toMatch(/letters, digits/);
    }
  });
});
