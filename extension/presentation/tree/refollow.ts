import type { HostState } from '../../core/infrastructure/hosts/host';
import type { VmState } from '../../core/machines/vm/vm-state';

/**
 * Whether to follow a VM anew after its QMP watcher lost its stream: yes when the VM shows
 * "connection lost" while its host is connected again (the drop may have raced the reconnect,
 * which the watcher's own look at the host can cause), but only once per connection — so a VM
 * whose QMP socket fails for another reason is not retried in a loop. Returns the connection's
 * `since` to remember as "re-followed on this one", or undefined for no.
 */
export function refollowOn(vmState: VmState, host: HostState | undefined, lastRefollowed: Date | undefined): Date | undefined {
  if (vmState !== 'connection-lost' || host?.kind !== 'connected') return undefined;
  return lastRefollowed === host.since ? undefined : host.since;
}
