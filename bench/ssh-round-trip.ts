import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureRoundTrip, openSshArgv } from '../extension/core/infrastructure/hosts/transports/round-trip';
import { createNetnsHosts } from '../test/support/netns/netns-hosts';
import { transportTo } from '../test/support/netns/ssh-options';
import { report } from './stats';

/**
 * A command round trip over the reused SSH connection (ssh2, multiplexed) next to a fresh
 * `ssh` process per command, against a namespace host with a real sshd made for this run.
 */
export async function benchSshRoundTrip(): Promise<void> {
  // The namespace helper keeps its files under the test root; a bench run makes its own.
  const root = mkdtempSync(join(tmpdir(), 'qemu-lab-bench-ssh-'));
  process.env.QEMU_LAB_TEST_ROOT = root;
  const hosts = createNetnsHosts({ hosts: 1 });
  const host = hosts.hosts[0];
  if (host === undefined) throw new Error('no namespace host');
  const transport = transportTo(hosts, host);
  try {
    hosts.assertAlive();
    const argv = openSshArgv({ host: host.address, user: 'root', identity: hosts.clientKey, knownHostsPath: hosts.knownHosts }, ['true']);
    const figures = await measureRoundTrip(transport, argv, { runs: 20 });
    report('SSH command round trip, reused connection', `median ${figures.medianReusedMs.toFixed(1)} ms`);
    report('SSH command round trip, fresh ssh process', `median ${figures.medianFreshMs.toFixed(1)} ms  (×${(figures.medianFreshMs / figures.medianReusedMs).toFixed(1)})`);
  } finally {
    await transport.dispose();
    hosts.destroy();
    rmSync(root, { recursive: true, force: true });
  }
}
