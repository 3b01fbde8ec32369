import { HostError } from '../../errors';
import type { LabModel } from '../../lab/model';
import type { HostPool } from './host-pool';
import { isThisMachine } from './host-reach';
import { RemoteHostSystem, type HostSystem } from './system/host-system';

/**
 * The {@link HostSystem} of each host of a lab: this machine for `local`, a pooled SSH
 * connection for the others (one per host, reused by every VM there).
 */
export function labHostSystems(lab: LabModel, pool: HostPool): (host: string) => HostSystem {
  // The pool's own: behind its gate, like every remote host.
  const local = pool.localSystem();
  const remote = new Map<string, HostSystem>();
  return (name) => {
    const spec = lab.hosts.get(name);
    if (spec === undefined) {
      throw new HostError(`The lab file has no host "${name}".`, { hint: 'Add it under hosts: in the lab file.' });
    }
    if (isThisMachine(spec)) return local;
    let system = remote.get(name);
    if (system === undefined) {
      system = new RemoteHostSystem(name, pool.forLabHost(spec));
      remote.set(name, system);
    }
    return system;
  };
}
