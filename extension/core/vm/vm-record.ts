import { parseFiniteJson } from '../finite-json';
import type { RunFiles } from '../qemu/launch-plan';

/** How to reach a guest's SSH server from its host. */
export interface GuestSshEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly privateKey: string;
  readonly knownHostsFile: string;
  readonly hostKeyAlias: string;
  /** The network namespace on the host that reaches the guest (isolated networks); absent = the host's own. */
  readonly netns?: string;
}

/**
 * Where a VM lives: its host, and a slot when a second QEMU of the same VM must run on the same
 * host (the destination of a same-host migration gets its own run directory).
 */
export interface VmLocation {
  readonly host: string;
  /** Absent for the VM's usual directory on that host. */
  readonly slot?: string;
}

/** Set on the record a VM left behind when it migrated: where it runs now, and since when. */
export interface VmMove extends VmLocation {
  /** ISO 8601 time the migration completed. */
  readonly at: string;
}

/**
 * What QEMU Lab remembers of a VM it started, in `vm.json` in the VM's run directory. This is
 * how a restarted editor or CLI finds its VMs again (with the pidfile and the QMP socket) and
 * never starts a duplicate.
 */
export interface VmRecord {
  readonly version: 1;
  readonly labPath: string;
  readonly vmName: string;
  readonly host: string;
  /** The run-directory slot on that host, when not the usual one (see {@link VmLocation}). */
  readonly slot?: string;
  readonly qemuBinary: string;
  readonly argv: readonly string[];
  readonly accel: 'kvm' | 'tcg';
  /** Why that accelerator, in words (e.g. "accel: auto picked TCG: /dev/kvm is backed by PVM…"). */
  readonly accelWhy: string;
  readonly nic: string;
  readonly network: string;
  readonly ssh: GuestSshEndpoint | undefined;
  /** The isolated network's namespace QEMU runs in (its TAP is there); absent = the host's own. */
  readonly netns?: string;
  /** The guest's address on its bridge network (no prefix), where the host reaches its ports. */
  readonly guestAddress?: string;
  /** Guest TCP port → loopback port of the host that reaches it (user networking). */
  readonly forwardedPorts?: Readonly<Record<string, number>>;
  readonly files: RunFiles & { readonly stderrLog: string };
  /** Serial-console line that says the guest is ready, when the guest prints one. */
  readonly readyMarker: string | undefined;
  readonly startedAt: string;
  /**
   * The VM migrated away from here: this QEMU is gone (or about to be) and the VM runs where
   * this says. `find` follows it, so the lab's VM key keeps finding the VM wherever it went.
   */
  readonly movedTo?: VmMove;
}

/** Reads a record's text; undefined when there is none or it is unreadable (treated as "not started by us"). */
export function parseVmRecord(text: string | undefined): VmRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = parseFiniteJson(text);
    if (typeof parsed === 'object' && parsed !== null && (parsed as { version?: unknown }).version === 1) {
      return parsed as VmRecord;
    }
    return undefined;
  } catch {
    return undefined;
  }
}
