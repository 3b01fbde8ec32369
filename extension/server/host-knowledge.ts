/**
 * What the server knows about hosts: the last capability probe of each, kept in memory. Probes
 * run in the background (at start-up, and when the editor asks), one at a time, never on a
 * keystroke; checks read the last result. A failed probe forgets the host's old result rather
 * than check against stale facts. While the gate is closed (an untrusted workspace) nothing is
 * probed: a probe runs QEMU.
 */
import { describeError } from '../core/errors';
import type { HostCapabilities } from '../core/infrastructure/hosts/probes/capabilities';
import type { HostGate } from '../core/infrastructure/hosts/host-gate';
import { LOCAL_HOST } from '../core/lab/vocabulary';
import type { HostProbeOutcome } from './protocol';

/** Probes one host by name; whatever it starts or connects asks `gate` (it refuses while closed). */
export type HostProber = (host: string, gate: HostGate) => Promise<HostCapabilities>;

/** The last probe of each host, and the means to probe again. */
export class HostKnowledge {
  private readonly known = new Map<string, HostCapabilities>();
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * `prober` is undefined when probing is off (hosts are then never checked). `gate` is asked
   * before each probe and handed to the prober. `onChange` runs after probes that changed what is
   * known; `log` receives failures.
   */
  constructor(
    private readonly prober: HostProber | undefined,
    private readonly gate: HostGate,
    private readonly onChange: () => void,
    private readonly log: (message: string) => void,
  ) {}

  /** The last successful probe of each host, by host name. */
  get capabilities(): ReadonlyMap<string, HostCapabilities> {
    return this.known;
  }

  /** Probes `hosts` after any probe already under way; never rejects. */
  refresh(hosts: readonly string[] = [LOCAL_HOST]): Promise<HostProbeOutcome[]> {
    const run = this.queue.then(() => this.probeAll(hosts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async probeAll(hosts: readonly string[]): Promise<HostProbeOutcome[]> {
    const outcomes: HostProbeOutcome[] = [];
    let changed = false;
    for (const host of new Set(hosts)) {
      if (this.prober === undefined) {
        outcomes.push({ host, ok: false, error: 'host probing is off' });
        continue;
      }
      try {
        this.gate.assertOpen(`probe host "${host}"`);
      } catch (error) {
        outcomes.push({ host, ok: false, error: describeError(error) });
        continue;
      }
      try {
        const capabilities = await this.prober(host, this.gate);
        this.known.set(host, capabilities);
        changed = true;
        outcomes.push({ host, ok: true, probedAt: capabilities.probedAt });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.log(`probing host "${host}" failed: ${reason}`);
        if (this.known.delete(host)) changed = true;
        outcomes.push({ host, ok: false, error: reason });
      }
    }
    if (changed) {
      try {
        this.onChange();
      } catch (error) {
        this.log(`re-checking after a host probe failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return outcomes;
  }
}
