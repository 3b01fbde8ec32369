import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SshTransportOptions } from '../../../extension/core/infrastructure/hosts/transports/ssh-transport';
import { SshTransport } from '../../../extension/core/infrastructure/hosts/transports/ssh-transport';
import type { NetnsHost, NetnsHosts } from './netns-hosts';

/**
 * Transport options that touch nothing of the person running the tests: no ~/.ssh/config, no
 * agent, no global known_hosts, an empty home, the lab's known_hosts.
 */
export function isolatedSshOptions(lab: NetnsHosts, extra: SshTransportOptions = {}): SshTransportOptions {
  const home = join(lab.dir, 'home');
  mkdirSync(home, { recursive: true });
  return {
    sshConfigPath: null,
    agentSocket: null,
    globalKnownHostsPaths: [],
    home,
    knownHostsPath: lab.knownHosts,
    connectTimeoutMs: 10_000,
    ...extra,
  };
}

/** An SSH transport to a namespace host as root with the lab's client key; checks the namespace first. */
export function transportTo(lab: NetnsHosts, host: NetnsHost, extra: SshTransportOptions = {}, port = 22): SshTransport {
  lab.assertAlive();
  return new SshTransport({ address: host.address, user: 'root', port, identity: lab.clientKey }, isolatedSshOptions(lab, extra));
}
