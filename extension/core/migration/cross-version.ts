/**
 * Whether a VM can move between two different QEMU releases. A QEMU guarantees only that a
 * machine type of its own release list keeps its hardware: `pc` and `q35` are the newest type of
 * each QEMU (pc-i440fx-7.2 on 7.2, pc-i440fx-11.1 on 11.1), so the two sides would build different
 * machines. A versioned type (`machine: pc-i440fx-7.2`) works when the destination has it.
 */
import type { QemuVersion } from '../infrastructure/hosts/probes/qemu-binary';
import { VERSIONED_MACHINE_PATTERN } from '../lab/vocabulary';

/** Why the pair cannot migrate, in words for a MigrationError. */
export interface CrossVersionProblem {
  readonly message: string;
  readonly hint: string;
}

/** The `-machine` value of a QEMU argv (the type name, before any `,option=`). */
export function machineOfArgv(argv: readonly string[]): string | undefined {
  const at = argv.indexOf('-machine');
  return at < 0 ? undefined : argv[at + 1]?.split(',')[0];
}

function release(version: QemuVersion): string {
  return `${version.major}.${version.minor}`;
}

/**
 * Undefined when the VM, running machine type `machine`, can migrate from the source QEMU to the
 * destination's (the same release; or a versioned type the destination lists in
 * `destinationMachines`); otherwise what stands in the way and what to do.
 */
export function crossVersionProblem(options: {
  readonly machine: string;
  readonly versions: { readonly source: QemuVersion; readonly destination: QemuVersion };
  readonly hosts: { readonly source: string; readonly destination: string };
  readonly destinationMachines: readonly string[];
}): CrossVersionProblem | undefined {
  const { machine, versions, hosts, destinationMachines } = options;
  if (release(versions.source) === release(versions.destination)) return undefined;
  const older = versions.source.major < versions.destination.major || (versions.source.major === versions.destination.major && versions.source.minor < versions.destination.minor) ? versions.source : versions.destination;
  const family = machine.includes('q35') ? 'pc-q35' : 'pc-i440fx';
  const suggestion = `${family}-${release(older)}`;
  const differ = `QEMU differs between the hosts: ${release(versions.source)} on "${hosts.source}", ${release(versions.destination)} on "${hosts.destination}"`;
  if (!VERSIONED_MACHINE_PATTERN.test(machine)) {
    return {
      message: `${differ}, and the VM runs machine type ${machine}, which means the newest ${machine} of each QEMU: the two would not be the same machine.`,
      hint: `Give the VM a versioned machine type both QEMUs have (machine: ${suggestion}, the older one's), boot it again, then migrate; or run the same QEMU on both hosts.`,
    };
  }
  if (!destinationMachines.includes(machine)) {
    return {
      message: `${differ}, and QEMU ${release(versions.destination)} on "${hosts.destination}" has no machine type ${machine}, which the VM runs.`,
      hint: `A VM moves only to a QEMU that has its machine type: use one from the older QEMU (machine: ${suggestion}), boot it again, then migrate.`,
    };
  }
  return undefined;
}
