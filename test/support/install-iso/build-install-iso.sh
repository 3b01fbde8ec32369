#!/usr/bin/env bash
# A small BIOS-bootable installer-like ISO for the install-from-ISO tests: ISOLINUX (Debian's
# isolinux + syslinux-common) on an El Torito CD made with genisoimage, booting the built-in lab
# guest's kernel and initramfs. ISOLINUX prints its banner on the serial port, and the kernel
# (not quiet) prints its command line, which carries the marker lab_iso=QEMU-LAB-ISO-BOOTED: so
# a test sees the ISO's own loader and the ISO's kernel booted; the guest then prints its ready marker.
# Usage: build-install-iso.sh OUT.iso KERNEL INITRD 'KERNEL COMMAND LINE' WORKDIR
set -euo pipefail
out=$1 kernel=$2 initrd=$3 cmdline=$4 work=$5
rm -rf "$work"
mkdir -p "$work/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$work/isolinux/"
cp "$kernel" "$work/vmlinuz"
cp "$initrd" "$work/initrd"
# SERIAL must come first: from there on ISOLINUX's own output goes to ttyS0 too.
cat >"$work/isolinux/isolinux.cfg" <<CFG
SERIAL 0 115200
PROMPT 0
TIMEOUT 0
DEFAULT lab
LABEL lab
  KERNEL /vmlinuz
  APPEND initrd=/initrd $cmdline lab_iso=QEMU-LAB-ISO-BOOTED
CFG
genisoimage -quiet -o "$out" -V QEMULAB_INSTALL -J -R \
  -b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table "$work"
rm -rf "$work"
