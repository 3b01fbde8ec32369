/**
 * The QEMU options a VM's keys become, for hovers: computed by the real argument builder
 * ({@link buildQemuArgv}) on a launch plan made from the VM, so a hover always shows what a boot
 * would run. Paths that only exist at boot (sockets, the built-in guest's kernel) are placeholders.
 */
import { guestKernelCommandLine } from '../core/machines/guest-image/kernel-command-line';
import type { VmSpec } from '../core/lab/model';
import { parseSize } from '../core/lab/sizes';
import { ACCELS, BLANK_IMAGE, BUILTIN_IMAGE, MACHINES, USER_NETWORK } from '../core/lab/vocabulary';
import { buildQemuArgv } from '../core/infrastructure/qemu/argv';
import { type BootMedia, CDROM_DRIVE_ID } from '../core/infrastructure/qemu/launch-plan';
import { diskBootMedia, planForVm, type PlanHostFacts } from '../core/infrastructure/qemu/plan-for-vm';
import { runFilesIn } from '../core/machines/vm/run-dir';

/** The accelerator QEMU gets (`auto` is resolved at boot). */
export type EffectiveAccel = 'kvm' | 'tcg';

/** Options without a value in the argument vector. */
const STANDALONE = new Set(['-nodefaults', '-no-user-config']);
/** The port shown for SSH forwarding when the lab leaves the choice to boot time. */
const PLACEHOLDER_SSH_PORT = 2222;
const RUN_DIR = '<run-dir>';


/** `vm` with `key` set to `text` as written in a lab file; `undefined` when `text` is not a valid value for it. */
export function vmWithValue(vm: VmSpec, key: string, text: string): VmSpec | undefined {
  switch (key) {
    case 'memory': {
      const size = parseSize(/^[0-9]+$/.test(text) ? Number(text) : text);
      return size.ok && size.value > 0 ? { ...vm, memoryBytes: size.value } : undefined;
    }
    case 'cpus':
      return /^[0-9]{1,3}$/.test(text) && Number(text) > 0 ? { ...vm, cpus: Number(text) } : undefined;
    case 'accel':
      return (ACCELS as readonly string[]).includes(text) ? { ...vm, accel: text as VmSpec['accel'] } : undefined;
    case 'machine':
      return (MACHINES as readonly string[]).includes(text) ? { ...vm, machine: text as VmSpec['machine'] } : undefined;
    case 'nic':
      return /^[A-Za-z0-9_-]+$/.test(text) ? { ...vm, nic: text } : undefined;
    case 'image':
      return text.trim() === '' ? undefined : { ...vm, image: text };
    case 'cdrom':
      return text.trim() === '' ? undefined : { ...vm, cdrom: text };
    case 'boot':
      return text === 'cdrom' || text === 'disk' ? { ...vm, boot: text } : undefined;
    case 'vnc':
      return text === 'true' || text === 'false' ? { ...vm, vnc: text === 'true' } : undefined;
    case 'sshPort':
      return /^[0-9]{1,5}$/.test(text) ? { ...vm, sshPort: Number(text) } : undefined;
    default:
      return vm;
  }
}

/** QEMU's whole argument vector for `vm` under `accel`, with placeholders for run-time paths. */
export function qemuArgvFor(vm: VmSpec, accel: EffectiveAccel): string[] {
  return buildQemuArgv(planForVm(vm, placeholderFacts(vm, accel)));
}

/**
 * The options `key` of `vm` becomes, like `-m 1024M`; `undefined` for keys that are no QEMU
 * option (host, address, …). `accel` is the accelerator in effect (`auto` resolved).
 */
export function qemuOptionsFor(key: string, vm: VmSpec, accel: EffectiveAccel): string | undefined {
  const argv = qemuArgvFor(vm, accel);
  const options = pairs(argv.slice(0, argv.length - vm.extraArgs.length));
  const pick = (...flags: string[]): string | undefined => {
    const chosen = options.filter((option) => flags.includes(option.flag));
    return chosen.length === 0 ? undefined : chosen.map(formatOption).join(' ');
  };
  switch (key) {
    case 'memory':
      return pick('-m');
    case 'cpus':
      return pick('-smp');
    case 'machine':
      return pick('-machine');
    case 'accel':
      return pick('-accel', '-cpu');
    case 'nic': {
      const netdev = options.findIndex((option) => option.flag === '-netdev');
      const device = options[netdev + 1];
      return netdev === -1 || device === undefined ? undefined : formatOption(device);
    }
    case 'network':
    case 'sshPort':
      return pick('-netdev');
    case 'image':
      return vm.image === 'builtin' ? pick('-kernel', '-initrd', '-append') : pick('-drive');
    case 'cdrom':
      return vm.cdrom === undefined ? undefined : joined(options.filter((option) => option.value?.includes(CDROM_DRIVE_ID) === true));
    case 'boot':
      return vm.cdrom === undefined ? undefined : joined(options.filter((option) => option.flag === '-boot' || option.value?.includes('bootindex=') === true));
    case 'vnc':
      return vm.vnc ? pick('-vnc') : undefined;
    case 'extraArgs':
      return vm.extraArgs.length === 0 ? undefined : vm.extraArgs.map(shellWord).join(' ');
    default:
      return undefined;
  }
}

/** Options as one line; undefined for none. */
function joined(options: readonly ArgvOption[]): string | undefined {
  return options.length === 0 ? undefined : options.map(formatOption).join(' ');
}

/** An argument vector as one line a person can read, values with spaces quoted. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map(shellWord).join(' ');
}

/** `program` and `argv` as shell lines, one option per line, continued with backslashes. */
export function formatCommandLines(program: string, argv: readonly string[]): string[] {
  const options = pairs(argv).map(formatOption);
  return [program, ...options].map((line, index, all) => (index === 0 ? line : `  ${line}`) + (index < all.length - 1 ? ' \\' : ''));
}

/**
 * The host facts a boot would decide, as placeholders: the run directory, free ports, the TAP,
 * where the lab guest is placed. The plan itself comes from the boot's own {@link planForVm}.
 */
function placeholderFacts(vm: VmSpec, accel: EffectiveAccel): PlanHostFacts {
  return {
    accel,
    network:
      vm.network === USER_NETWORK
        ? { kind: 'user', sshHostPort: vm.sshPort ?? PLACEHOLDER_SSH_PORT, forwards: [] }
        : { kind: 'tap', tapName: '<tap>', mac: '<mac>' },
    boot: vm.image === BUILTIN_IMAGE ? { kind: 'kernel', kernel: '<lab-guest>/vmlinuz', initrd: '<lab-guest>/initrd', append: kernelCommandLine(vm.name) } : placeholderDisk(vm),
    files: runFilesIn(RUN_DIR, { vnc: vm.vnc }),
  };
}

/**
 * A disk guest's media as a boot would make them: its overlay (or blank disk) in the state
 * directory, and its CD-ROM booting as `boot:` says — a blank disk's first boot when unsaid.
 */
function placeholderDisk(vm: VmSpec): BootMedia {
  const blank = vm.image === BLANK_IMAGE;
  const media = blank ? { kind: 'disk' as const, image: '<state>/disk.qcow2', format: 'qcow2' as const } : diskBootMedia(vm.image);
  if (vm.cdrom === undefined || media.kind !== 'disk') return media;
  return { ...media, cdrom: { iso: vm.cdrom, boot: vm.boot ?? (blank ? 'cdrom' : 'disk') } };
}

function kernelCommandLine(hostname: string): string {
  try {
    return guestKernelCommandLine({ hostname });
  } catch {
    return guestKernelCommandLine();
  }
}

interface ArgvOption {
  readonly flag: string;
  readonly value: string | undefined;
}

/** Splits an argument vector into options and their values. */
function pairs(argv: readonly string[]): ArgvOption[] {
  const options: ArgvOption[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    if (STANDALONE.has(flag)) options.push({ flag, value: undefined });
    else options.push({ flag, value: argv[++i] });
  }
  return options;
}

function formatOption(option: ArgvOption): string {
  return option.value === undefined ? option.flag : `${option.flag} ${shellWord(option.value)}`;
}

function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=,@%+<>-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
