/**
 * The guest's place on its network as the guest itself reports it — each interface's MAC and
 * IPv4 addresses — read before and after a migration: a guest that kept both kept its place
 * (the bridge learns the MAC at its new port from the announcement QEMU sends after the switch).
 */
import type { HostSystem } from '../infrastructure/hosts/system/host-system';
import { runInGuest } from '../machines/guest-access/guest-ssh';
import type { GuestSshEndpoint } from '../machines/vm/vm-record';
import type { GuestNetworkIdentity } from './outcome';

/** One tagged line per fact: `mac IFACE MAC`, then `ip -o -4 addr` lines as they are (busybox and iproute2 alike). */
const IDENTITY_SCRIPT = 'for d in /sys/class/net/*; do n=${d##*/}; [ "$n" = lo ] || echo "mac $n $(cat "$d/address")"; done; ip -o -4 addr show';

const IFACE = /^[A-Za-z0-9_.@-]{1,15}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const IPV4_CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/** Reads the script's output (pure); lines that are not what it prints are ignored. */
export function parseNetworkIdentity(stdout: string): GuestNetworkIdentity {
  const macs: Record<string, string> = {};
  const addresses: Record<string, string[]> = {};
  for (const line of stdout.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words[0] === 'mac' && IFACE.test(words[1] ?? '') && MAC.test((words[2] ?? '').toLowerCase())) {
      macs[words[1] as string] = (words[2] as string).toLowerCase();
      continue;
    }
    // `2: eth0    inet 10.77.0.11/24 brd 10.77.0.255 scope global eth0`
    const inet = words.indexOf('inet');
    const iface = (words[1] ?? '').replace(/:$/, '');
    const address = words[inet + 1] ?? '';
    if (/^\d+:$/.test(words[0] ?? '') && inet > 1 && IFACE.test(iface) && iface !== 'lo' && IPV4_CIDR.test(address)) {
      (addresses[iface] ??= []).push(address);
    }
  }
  return { macs, addresses };
}

/** Asks the guest over SSH. @throws the SSH failure (the part says the guest could not be asked). */
export async function readNetworkIdentity(system: HostSystem, endpoint: GuestSshEndpoint, signal?: AbortSignal): Promise<GuestNetworkIdentity> {
  const result = await runInGuest(system, endpoint, ['sh', '-c', IDENTITY_SCRIPT], { timeoutMs: 30_000, signal });
  return parseNetworkIdentity(result.stdout);
}

/** Whether the guest kept every MAC and address it had (pure); what changed, in words. */
export function compareIdentity(before: GuestNetworkIdentity, after: GuestNetworkIdentity): { kept: boolean; changes: string[] } {
  const changes: string[] = [];
  for (const [iface, mac] of Object.entries(before.macs)) {
    if (after.macs[iface] !== mac) changes.push(`${iface} MAC ${mac} → ${after.macs[iface] ?? 'gone'}`);
  }
  for (const [iface, list] of Object.entries(before.addresses)) {
    const now = after.addresses[iface] ?? [];
    for (const address of list) if (!now.includes(address)) changes.push(`${iface} lost ${address}${now.length > 0 ? ` (now ${now.join(', ')})` : ''}`);
  }
  return { kept: changes.length === 0 && Object.keys(before.macs).length > 0, changes };
}
