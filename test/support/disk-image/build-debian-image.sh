#!/usr/bin/env bash
# Builds a Debian 12 disk image the way a distribution cloud image is made: an MBR partition
# table, one ext4 partition, extlinux in the boot sectors (boots from the BIOS), Debian's cloud
# kernel, cloud-init (NoCloud), openssh-server, sysbench and iperf3. Packages come from this
# host's own apt sources (Debian 12 entries), never from a mirror named here.
#
# Usage (as root: loop devices and mount): build-debian-image.sh OUT.qcow2 WORK_DIR
# The integration tests call it through test/support/disk-image/test-disk-image.ts, which
# caches the result under a hash of this file: change the recipe here and it is rebuilt.
set -euo pipefail
out=$1
work=$2
size=2G
mkdir -p "$work"
raw="$work/disk.raw"
mnt="$work/mnt"
sources="$work/debian.sources"
loop=""

cleanup() {
  if mountpoint -q "$mnt" 2>/dev/null; then umount -R "$mnt" || true; fi
  if [ -n "$loop" ]; then losetup -d "$loop" || true; fi
}
trap cleanup EXIT

# The host's Debian 12 apt entries (deb822 stanzas and one-line entries naming bookworm).
: >"$sources"
for f in /etc/apt/sources.list.d/*.sources; do
  [ -e "$f" ] || continue
  awk 'BEGIN { RS=""; ORS="\n\n" } /Suites:[^\n]*bookworm/ && /Types:[^\n]*deb( |\n|$)/' "$f" >>"$sources"
done
list="$work/debian.list"
: >"$list"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -e "$f" ] || continue
  grep -E '^deb\s.*\sbookworm' "$f" >>"$list" || true
done
if [ -s "$list" ] && [ ! -s "$sources" ]; then sources="$list"; fi
if [ ! -s "$sources" ]; then
  echo "No Debian 12 (bookworm) entry in this host's apt sources (/etc/apt): cannot build the test image." >&2
  exit 1
fi

rm -f "$raw"
truncate -s "$size" "$raw"
printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$raw"
offset=$((2048 * 512))
loop=$(losetup --find --show --offset "$offset" "$raw")
# syslinux 6.04 cannot read ext4's 64bit or metadata_csum features.
mkfs.ext4 -q -L debian-root -O ^64bit,^metadata_csum "$loop"
uuid=$(blkid -s UUID -o value "$loop")
mkdir -p "$mnt"
mount "$loop" "$mnt"

# force-unsafe-io: dpkg's fsync per file on a loop-mounted file system made the build 25 min.
mmdebstrap --variant=minbase --dpkgopt=force-unsafe-io \
  --include=systemd-sysv,udev,linux-image-cloud-amd64,initramfs-tools,e2fsprogs,cloud-init,cloud-guest-utils,openssh-server,sudo,sysbench,iperf3,ifupdown,isc-dhcp-client,netbase,iproute2 \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --customize-hook='rm -f "$1"/etc/ssh/ssh_host_*' \
  --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
  bookworm "$mnt" "$sources"

kernel=$(cd "$mnt/boot" && ls vmlinuz-* | sort -V | tail -n 1)
initrd=$(cd "$mnt/boot" && ls initrd.img-* | sort -V | tail -n 1)
cat >"$mnt/etc/fstab" <<FSTAB
UUID=$uuid / ext4 defaults,errors=remount-ro 0 1
FSTAB
# Only NoCloud (and the fallback): the test image never runs in a cloud, so no probing for one.
cat >"$mnt/etc/cloud/cloud.cfg.d/90-qemu-lab-test-image.cfg" <<CFG
datasource_list: [ NoCloud, None ]
CFG
echo debian >"$mnt/etc/hostname"
: >"$mnt/etc/machine-id"
mkdir -p "$mnt/boot/extlinux"
cat >"$mnt/boot/extlinux/extlinux.conf" <<CONF
DEFAULT debian
TIMEOUT 1
PROMPT 0
LABEL debian
  LINUX /boot/$kernel
  INITRD /boot/$initrd
  APPEND root=UUID=$uuid ro console=tty0 console=ttyS0,115200n8
CONF
extlinux --install "$mnt/boot/extlinux" 2>&1 | grep -v '^/' || true
sync
umount "$mnt"
# The file system comes out of the build with its journal not yet replayed (needs_recovery).
# The guest's first mount would replay it, and the replay writes the journal's copy of block 0
# over the boot sector extlinux just wrote: the image booted once, and never again (seen when a
# grown overlay was booted a second time). Replay it here, then put the boot sector back.
vbr="$work/boot-sector.bin"
dd if="$loop" of="$vbr" bs=512 count=2 status=none
status=0
e2fsck -fy "$loop" >/dev/null || status=$?
if [ "$status" -gt 1 ]; then
  echo "e2fsck found errors it could not fix in the built file system (exit $status)." >&2
  exit 1
fi
dd if="$vbr" of="$loop" bs=512 count=2 conv=notrunc status=none
if dumpe2fs -h "$loop" 2>/dev/null | grep -q '^Filesystem features:.*needs_recovery'; then
  echo "The built file system still needs a journal replay." >&2
  exit 1
fi
# extlinux asks the block device where its partition starts; a loop device with an offset says
# 0, so the boot sector's "hidden sectors" (offset 0x1C) gets the partition's start by hand.
printf '\x00\x08\x00\x00' | dd of="$loop" bs=1 seek=28 conv=notrunc status=none
losetup -d "$loop"
loop=""
dd if=/usr/lib/syslinux/mbr/mbr.bin of="$raw" bs=440 count=1 conv=notrunc status=none
qemu-img convert -c -O qcow2 "$raw" "$out.part"
rm -f "$raw"
mv "$out.part" "$out"
