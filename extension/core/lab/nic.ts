/**
 * NIC model names, as a VM's `nic` and an experiment's `matrix.nic` write them.
 */
import type { Located, MapReader } from './fields';
import { closestMatch, didYouMean } from './suggest';
import { KNOWN_NICS, NIC_PATTERN } from './vocabulary';
import { quote } from './wording';

/**
 * Whether `nic` can be a QEMU NIC model name; reports it on `reader`'s behalf if not. Any model
 * name is allowed, but a near miss of a model the course compares (`virtoi`) gets a warning.
 */
export function checkNic(reader: MapReader, key: string, nic: Located<string>): boolean {
  if (!NIC_PATTERN.test(nic.value)) {
    reader.diagnostics.error(
      'invalid-nic',
      nic.span,
      `${reader.owner}: ${key} ${quote(nic.value)} is not a NIC model name (letters, digits, "_" and "-"), like virtio or e1000`,
    );
    return false;
  }
  const known: readonly string[] = KNOWN_NICS;
  const suggestion = known.includes(nic.value) ? undefined : closestMatch(nic.value, known);
  if (suggestion !== undefined) {
    reader.diagnostics.warning(
      'unknown-value',
      nic.span,
      `${reader.owner}: ${quote(nic.value)} is not a NIC model QEMU Lab knows${didYouMean(suggestion)}; other QEMU models work if the host's QEMU has them`,
      suggestion,
    );
  }
  return true;
}
