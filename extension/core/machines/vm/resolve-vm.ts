import { VmError } from '../../errors';
import type { LabModel, VmSpec } from '../../lab/model';
import { closestMatch } from '../../lab/suggest';

/** The VM named `name` in the lab, or a {@link VmError} that names the ones there are. */
export function resolveVm(lab: LabModel, name: string): VmSpec {
  const vm = lab.vms.get(name);
  if (vm !== undefined) return vm;
  const names = [...lab.vms.keys()];
  const guess = closestMatch(name, names);
  throw new VmError(`The lab file ${lab.path} has no VM "${name}".`, {
    hint:
      guess !== undefined
        ? `Did you mean "${guess}"?`
        : names.length > 0
          ? `Its VMs are: ${names.join(', ')}.`
          : 'Add one under vms: in the lab file.',
  });
}
