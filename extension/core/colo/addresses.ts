/**
 * The two addresses of a pair: where the secondary listens for the migration stream (the
 * primary connects to it), and where the primary's proxy sockets listen (the secondary
 * connects to them). On one machine both are 127.0.0.1; between hosts each is the host's own
 * address as its peer reaches it — the rules of live migration, applied in both directions.
 */
import type { HostSystem } from '../infrastructure/hosts/system/host-system';
import { destinationAddress, parseSshConnection, type SshConnectionInfo } from '../migration/uri';

async function sshConnectionOf(system: HostSystem): Promise<SshConnectionInfo | undefined> {
  if (system.isLocal) return undefined;
  const result = await system.run('sh', ['-c', 'printf %s "$SSH_CONNECTION"'], { check: false, timeoutMs: 15_000 });
  return parseSshConnection(result.stdout);
}

/** The pair's addresses, found out from the SSH connections to the hosts. */
export async function pairAddresses(primary: HostSystem, secondary: HostSystem, sameMachine: boolean): Promise<{ primaryAddress: string; secondaryAddress: string }> {
  if (sameMachine) return { primaryAddress: '127.0.0.1', secondaryAddress: '127.0.0.1' };
  const [primarySsh, secondarySsh] = await Promise.all([sshConnectionOf(primary), sshConnectionOf(secondary)]);
  const secondaryAddress = destinationAddress({
    sameMachine,
    override: undefined,
    destinationIsLocal: secondary.isLocal,
    destinationSsh: secondarySsh,
    sourceSsh: primarySsh,
  });
  const primaryAddress = destinationAddress({
    sameMachine,
    override: undefined,
    destinationIsLocal: primary.isLocal,
    destinationSsh: primarySsh,
    sourceSsh: secondarySsh,
  });
  return { primaryAddress, secondaryAddress };
}

/** Four distinct free loopback ports of a host (asked one by one; QEMU binds them right after). */
export async function freePorts(system: HostSystem, count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let attempts = 0; ports.length < count && attempts < count * 5; attempts += 1) {
    const port = await system.freeLoopbackPort();
    if (!ports.includes(port)) ports.push(port);
  }
  if (ports.length < count) throw new RangeError(`Found only ${ports.length} free ports of ${count}.`);
  return ports;
}
