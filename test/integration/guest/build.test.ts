import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuestBuildError } from '../../../extension/core/errors';
import { buildGuest, findCachedGuest, type GuestArtifacts } from '../../../extension/core/machines/guest-image/build';
import { installedVersions } from '../../../extension/core/machines/guest-image/debs';
import { GUEST_TOOLS_HINT } from '../../../extension/core/machines/guest-image/tools';
import { bootGuest, qmp, ssh, waitForExit, waitForMarker, type BootedGuest } from './qemu-guest';

// The guest is built into the user's default cache (~/.cache/qemu-lab), so that re-runs are fast.
const root = join(process.env.QEMU_LAB_TEST_ROOT ?? '/tmp/qemu-lab-it-missing-root', 'guest');
const started: BootedGuest[] = [];
let guest: GuestArtifacts;
const progress: string[] = [];

beforeAll(async () => {
  if (process.env.QEMU_LAB_TEST_ROOT === undefined) throw new Error('QEMU_LAB_TEST_ROOT is not set (global setup missing)');
  mkdirSync(root, { recursive: true });
  guest = await buildGuest({ env: process.env, onProgress: (line) => progress.push(line) });
});

afterAll(async () => {
  for (const vm of started) {
    if (vm.child.exitCode === null && vm.child.signalCode === null) {
      vm.child.kill('SIGKILL');
      await vm.exited;
    }
  }
});

describe('buildGuest', () => {
  it('builds a kernel, an ELF vmlinux, an initramfs and keys', () => {
    console.log(`guest ${guest.hash}: ${guest.fromCache ? 'from cache' : `built in ${guest.buildSeconds} s`}\n  ${progress.join('\n  ')}`);
    expect(guest.hostKeyAlias).toBe('qemu-lab-guest');
    expect(guest.readyMarker).toBe('QEMU-LAB-READY');
    expect(guest.kernelVersion).toMatch(/^\d+\.\d+\.\d+-\d+-amd64$/);
    expect(guest.vmlinux).toBeDefined();
    expect(readFileSync(guest.vmlinux as string).subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(readFileSync(guest.initrd).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(statSync(guest.sshPrivateKey).mode & 0o777).toBe(0o600);
    expect(readFileSync(guest.knownHostsFile, 'utf8')).toMatch(/^qemu-lab-guest ssh-ed25519 AAAA\S+\n$/);
    console.log(`initrd ${(statSync(guest.initrd).size / 2 ** 20).toFixed(1)} MiB, vmlinux ${(statSync(guest.vmlinux as string).size / 2 ** 20).toFixed(1)} MiB, bzImage ${(statSync(guest.kernel).size / 2 ** 20).toFixed(1)} MiB`);
  });

  it('takes the second build from the cache, quickly', async () => {
    const began = performance.now();
    const again = await buildGuest({ env: process.env });
    const seconds = (performance.now() - began) / 1000;
    console.log(`cached buildGuest: ${seconds.toFixed(2)} s`);
    expect(again.fromCache).toBe(true);
    expect(again.dir).toBe(guest.dir);
    expect(again.hash).toBe(guest.hash);
    expect(seconds).toBeLessThan(10);
    const found = await findCachedGuest({ env: process.env });
    expect(found?.dir).toBe(guest.dir);
  });
});

describe('building in races and failures', () => {
  it('two racing builds into one cache agree on one guest and leave no temporary folder', async () => {
    const cacheRoot = join(root, 'race-cache');
    const [a, b] = await Promise.all([buildGuest({ cacheRoot, env: process.env }), buildGuest({ cacheRoot, env: process.env })]);
    expect(a.dir).toBe(b.dir);
    expect(a.hash).toBe(guest.hash);
    expect([a.fromCache, b.fromCache].filter((fromCache) => !fromCache).length).toBeGreaterThanOrEqual(1);
    expect(readdirSync(cacheRoot)).toEqual([a.hash]);
    expect(readFileSync(a.knownHostsFile, 'utf8')).toMatch(/^qemu-lab-guest ssh-ed25519 /);
  });

  it('names the package to install when a tool package is missing', async () => {
    const error: unknown = await installedVersions(['busybox-static', 'qemu-lab-no-such-package'], GUEST_TOOLS_HINT).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GuestBuildError);
    expect((error as GuestBuildError).message).toContain('qemu-lab-no-such-package');
    expect((error as GuestBuildError).hint).toBe('apt-get install busybox-static dropbear-bin sysbench iperf3 iperf');
  });
});

describe('booting the guest under TCG', () => {
  const cases = [
    { name: 'vmlinux-virtio', kernel: 'vmlinux', nic: 'virtio-net-pci' },
    { name: 'bzimage-virtio', kernel: 'bzImage', nic: 'virtio-net-pci' },
    { name: 'vmlinux-e1000', kernel: 'vmlinux', nic: 'e1000', ip: '10.0.2.20/24' },
  ] as const;

  it.each(cases)('$name: ready, SSH with the tools, power button', async (testCase) => {
    const { name, kernel, nic } = testCase;
    const ip = 'ip' in testCase ? testCase.ip : undefined;
    const vm = await bootGuest({
      root,
      name,
      guest,
      kernel: kernel === 'vmlinux' ? (guest.vmlinux as string) : guest.kernel,
      nic,
      ip,
    });
    started.push(vm);
    const ready = await waitForMarker(vm, guest.readyMarker, 180_000);

    const uname = await ssh(vm, guest, 'uname -a');
    const sshSeconds = (performance.now() - vm.startedAt) / 1000;
    console.log(`${name}: boot→ready ${ready.toFixed(2)} s, boot→SSH ${sshSeconds.toFixed(2)} s`);
    expect(uname.stdout).toContain(guest.kernelVersion);
    expect(uname.stdout).toContain(name);

    expect((await ssh(vm, guest, 'sysbench --version')).stdout).toMatch(/^sysbench 1\.\d+/);
    expect((await ssh(vm, guest, 'iperf3 --version')).stdout).toMatch(/^iperf 3\.\d+/);
    // iperf 2 prints its version on stderr and exits 1 (on any host, not only in the guest).
    const iperf2 = await ssh(vm, guest, 'iperf --version; echo "exit=$?"');
    expect(iperf2.stderr).toMatch(/^iperf version 2\.\d+/);
    expect(iperf2.stdout).toMatch(/exit=[01]/);

    if (name === 'vmlinux-virtio') {
      // Strict host key checking really checks: an empty known_hosts file is refused.
      const empty = join(root, 'empty_known_hosts');
      writeFileSync(empty, '');
      await expect(ssh(vm, guest, 'true', empty)).rejects.toThrow();
      // The configured address and the loaded modules.
      const net = await ssh(vm, guest, 'ip -4 addr show eth0; ip route; cat /sys/class/net/eth0/device/driver/module/drivers/*/uevent 2>/dev/null; lsmod');
      expect(net.stdout).toContain('10.0.2.15/24');
      expect(net.stdout).toContain('default via 10.0.2.2');
      expect(net.stdout).toMatch(/^virtio_rng\b/m);
    }
    if (nic === 'e1000') {
      const driver = await ssh(vm, guest, 'basename "$(readlink /sys/class/net/eth0/device/driver)"; ip -4 addr show eth0');
      expect(driver.stdout.split('\n')[0]).toBe('e1000');
      // qemulab.ip= from the kernel command line.
      expect(driver.stdout).toContain(`inet ${ip as string}`);
    }

    const reply = await qmp(vm.qmpSocket, 'system_powerdown');
    expect(reply).toContain('"return"');
    const poweredDownAt = performance.now();
    const code = await waitForExit(vm, 30_000);
    console.log(`${name}: QEMU exited ${((performance.now() - poweredDownAt) / 1000).toFixed(2)} s after system_powerdown`);
    expect(code).toBe(0);
  });
});
