import { VmTimeoutError } from '../../errors';
import type { HostSystem } from '../../infrastructure/hosts/system/host-system';
import { sleep } from '../../infrastructure/support/sleep';

/**
 * Waits until the serial console log holds `marker` (the lab guest prints one when its SSH
 * server listens), or until `isAlive` says the VM died, or until the timeout.
 */
export async function waitForSerialMarker(system: HostSystem, options: {
  readonly serialLog: string;
  readonly marker: string;
  readonly timeoutMs: number;
  readonly isAlive: () => Promise<boolean>;
  readonly signal?: AbortSignal;
}): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.signal?.throwIfAborted();
    const text = (await system.readText(options.serialLog)) ?? '';
    if (text.includes(options.marker)) return;
    if (!(await options.isAlive())) {
      throw new VmTimeoutError('QEMU exited before the guest finished booting.', {
        hint: `The console log ${options.serialLog} ends with:\n${text.trim().split('\n').slice(-5).join('\n')}`,
      });
    }
    if (Date.now() > deadline) {
      throw new VmTimeoutError(`The guest did not finish booting within ${options.timeoutMs / 1000} s.`, {
        hint: `Read the console log ${options.serialLog}; under TCG (no KVM) a boot takes a few seconds.`,
      });
    }
    await sleep(system.isLocal ? 50 : 300);
  }
}
