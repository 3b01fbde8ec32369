/** What a user can do about a failed virsh call, read from what libvirt said. Pure. */

const DEFAULT_HINT = 'Check that libvirtd runs there and that this user may use it (virsh -c URI list).';

/**
 * libvirt's words when the user it runs QEMU as cannot open a disk, e.g. `Cannot access storage
 * file '/root/.local/state/qemu-lab/disks/…/disk.qcow2' (as uid:104, gid:107): Permission denied`
 * — what a stock libvirtd (QEMU as `libvirt-qemu`) says of a VM's overlay in QEMU Lab's private
 * state folder (mode 0700).
 */
const STORAGE_DENIED = /Cannot access storage file '([^']*)' \(as uid:(\d+), gid:(\d+)\): Permission denied/;

/** The hint of a {@link LibvirtError} for a virsh call that failed saying `said`. */
export function virshFailureHint(said: string): string {
  const denied = STORAGE_DENIED.exec(said);
  if (denied !== null) {
    const [, file = '', uid = '', gid = ''] = denied;
    return (
      `libvirtd runs QEMU as uid ${uid} (gid ${gid}), the user and group of its qemu.conf, and that user cannot reach ${file}: ` +
      "QEMU Lab keeps a VM's disks and run files in its own state folder, private to the user it runs as. " +
      'On that host set user = "root" and group = "root" in /etc/libvirt/qemu.conf and restart libvirtd (or virtqemud).'
    );
  }
  return DEFAULT_HINT;
}
