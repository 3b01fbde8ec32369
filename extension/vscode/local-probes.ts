import type { HostCapabilities } from '../core/infrastructure/hosts/probes/capabilities';
import type { HostQemuSetting } from '../core/infrastructure/hosts/probes/qemu-binary';

/**
 * This machine's probes (QEMU, KVM, machine types, NIC models), one per QEMU a lab file names
 * for it, shared by the tree and the language server: a probe runs QEMU several times, so an
 * editor session runs it once, and again only on Refresh.
 */
export class LocalProbes {
  private readonly probes = new Map<string, Promise<HostCapabilities>>();
  /** What each probe found, once it has: asked again, the answer is at hand without a wait. */
  private readonly found = new Map<string, HostCapabilities>();

  /** @param probe probes this machine with the given QEMU (behind the workspace's gate). */
  constructor(private readonly probe: (qemu: HostQemuSetting | undefined) => Promise<HostCapabilities>) {}

  /** The probe with `qemu` (the system one when undefined): the session's, or a new one. */
  get(qemu: HostQemuSetting | undefined): Promise<HostCapabilities> {
    const key = qemuSettingKey(qemu);
    let probe = this.probes.get(key);
    if (probe === undefined) {
      probe = this.probe(qemu);
      this.probes.set(key, probe);
      // A refused probe (Restricted Mode) is tried again once asked again, not kept.
      probe.then(
        (capabilities) => {
          if (this.probes.get(key) === probe) this.found.set(key, capabilities);
        },
        () => {
          if (this.probes.get(key) === probe) this.probes.delete(key);
        },
      );
    }
    return probe;
  }

  /** What the probe with `qemu` found, when one has answered this session; undefined before. */
  foundWith(qemu: HostQemuSetting | undefined): HostCapabilities | undefined {
    return this.found.get(qemuSettingKey(qemu));
  }

  /** Forgets every probe (Refresh, trust granted): the next ask probes again. */
  clear(): void {
    this.probes.clear();
    this.found.clear();
  }
}

/** A QEMU setting as a map key: the system QEMU, an installed version, or a path. */
export function qemuSettingKey(qemu: HostQemuSetting | undefined): string {
  return qemu === undefined ? 'system' : qemu.kind === 'version' ? `version:${qemu.version}` : `path:${qemu.path}`;
}
