/**
 * Starts the secondary QEMU of a pair: the VM's own devices plus the secondary's filters and
 * disk (typed parts of its launch plan), with `-incoming defer`; then `x-colo` and
 * `migrate-incoming` on the secondary's address.
 */
import type { QemuVersion } from '../infrastructure/hosts/probes/qemu-binary';
import type { VmSpec } from '../lab/model';
import { tcpUri } from '../migration/uri';
import type { VmKey } from '../machines/vm/backend';
import { guestBootFor, type UpDependencies } from '../machines/vm/up';
import { freePorts } from './addresses';
import { secondaryDisk, secondaryNbdCommands, type SecondaryImages } from './disk-args';
import type { ColoSide } from './pair-handle';
import type { ColoProxyPlan } from './proxy-plan';
import { secondaryNetFilters } from './secondary-args';
import { command, enableColo, sideOf } from './setup-steps';

/** What the secondary is started from. */
export interface SecondaryStart {
  readonly vm: VmSpec;
  readonly key: VmKey;
  readonly plan: ColoProxyPlan;
  readonly qemu: { readonly binary: string; readonly version: QemuVersion };
  readonly accel: 'kvm' | 'tcg';
  /** Both sides on one machine. */
  readonly sameMachine: boolean;
  /** Where the secondary listens for the migration stream (and its NBD server, with a disk). */
  readonly address: string;
  /** The secondary's disk images, for a pair with a disk. */
  readonly images?: SecondaryImages;
  readonly signal?: AbortSignal;
}

/**
 * Boots the secondary and makes it wait for the primary; returns it, the migration URI,
 * the COLO capabilities its QEMU took (the primary sets the same) and, with a disk, where its
 * NBD server exports parent0.
 */
export async function startSecondary(deps: UpDependencies, start: SecondaryStart): Promise<{ side: ColoSide; uri: string; nbd: { address: string; port: number } | undefined; capabilities: string[] }> {
  const { backend } = deps;
  const system = backend.systemOf(start.key);
  const media = await guestBootFor(start.vm, start.key.labPath, system, deps);
  const vm: VmSpec = {
    ...start.vm,
    // On one machine the primary holds a fixed SSH port: the secondary takes a free one.
    sshPort: start.sameMachine ? undefined : start.vm.sshPort,
  };
  const booted = await backend.boot({
    key: start.key,
    vm,
    qemuBinary: start.qemu.binary,
    accel: { accel: start.accel, why: `COLO secondary: the same accelerator as the primary (${start.accel})` },
    boot: media.boot,
    guestSsh: media.guestSsh,
    readyMarker: media.readyMarker,
    incoming: 'defer',
    added: {
      netFilters: secondaryNetFilters(start.plan, start.qemu.version.major),
      ...(start.images === undefined ? {} : { disks: [secondaryDisk(start.images)] }),
    },
    signal: start.signal,
    timeoutMs: 60_000,
  });
  const side = sideOf(backend, 'secondary', start.key, booted.instance);
  const capabilities = await enableColo(backend, side, start.qemu.version.text);
  const [port, nbdPort] = await freePorts(system, 2);
  let nbd: { address: string; port: number } | undefined;
  if (start.images !== undefined) {
    nbd = { address: start.address, port: nbdPort as number };
    // QEMU's docs: the NBD server must export parent0 before the primary migrates.
    for (const step of secondaryNbdCommands(nbd.address, nbd.port)) await command(backend, side, step.command, step.args);
  }
  const uri = tcpUri(start.address, port as number);
  await command(backend, side, 'migrate-incoming', { uri });
  return { side, uri, nbd, capabilities };
}
