/**
 * A VM's `faultTolerance:` mapping: a COLO pair (`qemu-lab colo up`). Kept apart from the other
 * VM keys because it is a nested mapping with rules of its own.
 */
import type { MapReader } from './fields';
import type { FaultToleranceSpec } from './model';
import type { References } from './references';
import { parseDuration } from './sizes';
import { BUILTIN_IMAGE, FAULT_TOLERANCE_DEFAULTS, FAULT_TOLERANCE_KEYS, FAULT_TOLERANCE_MODES, LIMITS } from './vocabulary';

const DEFAULT_DELAY = parseDuration(FAULT_TOLERANCE_DEFAULTS.checkpointDelay);
const DEFAULT_DELAY_MS = DEFAULT_DELAY.ok ? DEFAULT_DELAY.value : 20_000;

/**
 * Reads `faultTolerance:` of a VM. Undefined when absent or unusable (the problems are
 * reported); `secondary` is required and must be a host of the lab.
 */
export function readFaultTolerance(
  vmReader: MapReader,
  references: References,
  vm: { readonly machine: string; readonly network: string; readonly image: string },
): FaultToleranceSpec | undefined {
  const reader = vmReader.mapping('faultTolerance', FAULT_TOLERANCE_KEYS);
  if (reader === undefined) return undefined;
  const mode = reader.oneOf('mode', FAULT_TOLERANCE_MODES, 'fault tolerance mode');
  if (reader.has('mode') && mode === undefined) return undefined;
  const span = vmReader.keySpan('faultTolerance');
  const secondary = span === undefined ? reader.string('secondary', 'a host name') : reader.requiredString('secondary', 'a host name', 'secondary is missing: name the host the secondary QEMU runs on', span);
  if (secondary === undefined || !references.host(reader.owner, secondary)) return undefined;
  const delay = reader.quantity('checkpointDelay', parseDuration, 'bad-duration');
  const { min, max } = LIMITS.checkpointDelayMs;
  if (delay !== undefined && (delay.value < min || delay.value > max)) {
    reader.diagnostics.error('out-of-range', delay.span, `${reader.owner}: checkpointDelay is ${min} ms to ${max / 1000} s`);
    return undefined;
  }
  if (vm.machine === 'q35' && span !== undefined) {
    // Seen here on QEMU 7.2: the secondary aborts (memory_region_add_subregion_common) when the
    // first checkpoint arrives on a q35 guest; the i440FX machine does not have that problem.
    reader.diagnostics.warning('suspicious-value', span, `${reader.owner}: COLO on QEMU 7.2 aborts the secondary of a q35 VM at the first checkpoint; use machine: pc for this VM`, undefined);
  }
  if (vm.network !== 'user' && span !== undefined) {
    reader.diagnostics.error('ignored-key', span, `${reader.owner}: COLO is built for network: user so far; bridge networks are not supported yet`);
    return undefined;
  }
  const disk = reader.string('disk', 'the path of a disk image');
  if (disk !== undefined && vm.image !== BUILTIN_IMAGE) {
    // A boot disk of the VM's own would not be replicated: the two guests would drift apart.
    reader.diagnostics.error('ignored-key', disk.span, `${reader.owner}: disk needs image: builtin (the boot image would not be replicated); put the data on this disk instead`);
    return undefined;
  }
  return { mode: 'colo', secondary: secondary.value, checkpointDelayMs: delay?.value ?? DEFAULT_DELAY_MS, ...(disk === undefined ? {} : { disk: disk.value }) };
}
