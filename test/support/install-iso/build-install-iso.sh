#!/usr/bin/env bash
# A small BIOS-bootable installer-like ISO for the install-from-ISO tests: ISOLINUX (Debian's
# isolinux + syslinux-common) on an El Torito CD made with genisoimage, booting the built-in lab
# guest's kernel and initramfs. ISOLINUX prints QEMU-LAB-ISO-BOOTED on the serial port first,
# so a test sees the ISO itself booted; the guest then prints its own ready marker.
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
SAY QEMU-LAB-ISO-BOOTED
PROMPT 0
TIMEOUT 0
DEFAULT lab
LABEL lab
  KERNEL /vmlinuz
  APPEND initrd=/initrd $cmdline
CFG
genisoimage -quiet -o "$out" -V QEMULAB_INSTALL -J -R \
  -b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table "$work"
rm -rf "$work"
