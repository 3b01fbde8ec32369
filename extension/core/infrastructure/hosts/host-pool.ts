/**
 * One transport per host, shared by everything that works on it: the first use connects, later
 * uses reuse (multiplex) that connection, a use after a drop reconnects. A ProxyJump hop uses
 * the pool's transport of the jump host, so that connection is shared too. The pool's gate
 * (`options.gate`) goes with everything it hands out — SSH and local transports, this machine's
 * HostSystem — so while it is closed nothing reached through the pool starts or connects.
 */
import { HostError } from '../../errors';
import type { HostSpec } from '../../lab/model';
import type { HostTransport } from './host';
import { hostReach } from './host-reach';
import { SshConfigError } from './host-errors';
import { OPEN_HOST_GATE, type HostGate } from './host-gate';
import { LocalHostSystem, type HostSystem } from './system/host-system';
import { LocalTransport } from './transports/local-transport';
import type { SshHostSpec } from './transports/ssh-config';
import { SshTransport, type SshTransportOptions } from './transports/ssh-transport';

/** A host as the pool knows it, for the tree view. */
export interface PooledHost {
  readonly key: string;
  readonly transport: HostTransport;
}

/** Keeps one {@link HostTransport} per host. */
export class HostPool {
  private readonly hosts = new Map<string, HostTransport>();
  private readonly local: LocalTransport;
  private readonly localHostSystem: LocalHostSystem;
  /** Which host each host jumps through (pool keys), to refuse ProxyJump loops. */
  private readonly jumps = new Map<string, string>();
  private disposed = false;

  /** `options.gate` (default: always open) is asked by every transport and system of the pool. */
  constructor(private readonly options: SshTransportOptions = {}) {
    const gate: HostGate = options.gate ?? OPEN_HOST_GATE;
    this.local = new LocalTransport(gate);
    this.localHostSystem = new LocalHostSystem(gate);
  }

  /** This machine as a {@link HostSystem}, behind the pool's gate. */
  localSystem(): HostSystem {
    return this.localHostSystem;
  }

  /** The key a host spec is pooled under: same address, user, port and identity = same connection. */
  static keyOf(spec: SshHostSpec): string {
    return JSON.stringify([spec.address, spec.user ?? null, spec.port ?? null, spec.identity ?? null]);
  }

  /** The transport of a host (`'local'` = this machine); made on first call, connected on first use. */
  get(spec: SshHostSpec | 'local'): HostTransport {
    if (this.disposed) throw new HostError('The host pool was disposed.');
    if (spec === 'local') return this.local;
    const key = HostPool.keyOf(spec);
    let transport = this.hosts.get(key);
    if (transport === undefined) {
      transport = new SshTransport(spec, {
        ...this.options,
        jumpTransport: (jump) => {
          const jumpSpec: SshHostSpec = { address: jump.address, user: jump.user, port: jump.port };
          const jumpKey = HostPool.keyOf(jumpSpec);
          this.jumps.set(key, jumpKey);
          const chain = [spec.address];
          for (let k: string | undefined = jumpKey; k !== undefined; k = this.jumps.get(k)) {
            const address = (JSON.parse(k) as string[])[0] ?? k;
            if (k === key || chain.length > 8) {
              throw new SshConfigError(`ProxyJump loop: ${[...chain, address].join(' → ')}.`, { hint: 'Fix ProxyJump in your ssh config.' });
            }
            chain.push(address);
          }
          return this.get(jumpSpec);
        },
      });
      this.hosts.set(key, transport);
    }
    return transport;
  }

  /** The transport of a host of the lab file. */
  forLabHost(host: HostSpec): HostTransport {
    return this.get(hostReach(host));
  }

  /** Every SSH host handed out so far. */
  list(): PooledHost[] {
    return [...this.hosts].map(([key, transport]) => ({ key, transport }));
  }

  /** Closes every connection. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const all = [...this.hosts.values(), this.local];
    this.hosts.clear();
    await Promise.all(all.map((t) => t.dispose()));
  }
}
