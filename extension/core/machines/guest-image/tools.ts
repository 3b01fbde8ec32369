/**
 * The host programs copied into the guest, the Debian packages they come from, and where they go.
 */
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { GuestBuildError } from '../../errors';

/** The Debian packages whose programs the guest is made of. */
export const GUEST_TOOL_PACKAGES: readonly string[] = ['busybox-static', 'dropbear-bin', 'sysbench', 'iperf3', 'iperf'];

/** What to run when one of them is missing. */
export const GUEST_TOOLS_HINT = 'apt-get install busybox-static dropbear-bin sysbench iperf3 iperf';

/** One program of the guest. */
export interface GuestTool {
  /** The program's file name on the host. */
  readonly name: string;
  readonly packageName: string;
  /** Where it goes in the guest. */
  readonly guestPath: string;
}

/** The programs of the guest. busybox provides everything else (sh, mount, ip, acpid, insmod, …). */
export const GUEST_TOOLS: readonly GuestTool[] = [
  { name: 'busybox', packageName: 'busybox-static', guestPath: '/bin/busybox' },
  { name: 'dropbear', packageName: 'dropbear-bin', guestPath: '/usr/sbin/dropbear' },
  { name: 'sysbench', packageName: 'sysbench', guestPath: '/usr/bin/sysbench' },
  { name: 'iperf3', packageName: 'iperf3', guestPath: '/usr/bin/iperf3' },
  { name: 'iperf', packageName: 'iperf', guestPath: '/usr/bin/iperf' },
];

const SEARCH_DIRS = ['/usr/bin', '/usr/sbin', '/bin', '/sbin'];

/** The host path of `tool`, or a {@link GuestBuildError} with the install hint. */
export async function locateTool(tool: GuestTool): Promise<string> {
  for (const dir of SEARCH_DIRS) {
    const path = join(dir, tool.name);
    const found = await access(path, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (found) return path;
  }
  throw new GuestBuildError(`${tool.name} (package ${tool.packageName}) is not installed on this host.`, {
    hint: GUEST_TOOLS_HINT,
  });
}
