#!/usr/bin/env bash
# The Debian 12 packages QEMU Lab needs on a host, and to build the built-in lab guest.
# Run as root (the README's first command and .ci/run both call it).
set -euo pipefail
packages=(
  qemu-system-x86 qemu-utils          # QEMU itself, qemu-img
  mmdebstrap                          # qemu-lab qemu install: a newer QEMU in a private root
  busybox-static dropbear-bin         # the lab guest's userland and SSH server
  sysbench iperf3 iperf               # the benchmarks, in the guest and on the host
  kmod xz-utils zstd                  # kernel modules for the guest (modules.dep, compressed modules)
  iproute2 openssh-client             # networks, SSH into guests
  openssh-server                      # real sshd for the SSH-host tests (network-namespace hosts)
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients adduser # libvirt hosts: libvirtd, virtlogd, virsh
  netcat-openbsd                      # libvirt's qemu+ssh transport reaches a socket= path with nc -U (migration between libvirt hosts)
  genisoimage                         # cloud-init NoCloud seeds (cidata ISO) for disk guests
  isolinux                            # the install-from-ISO tests' bootable ISO (test/support/install-iso, with genisoimage)
  fdisk extlinux syslinux-common      # the Debian 12 test disk image (test/support/disk-image, with mmdebstrap)
  ca-certificates
  zsh                                 # the CLI's zsh completion script is tested in a real zsh
  chromium fonts-dejavu-core          # the e2e tests' browser (driven by playwright-core)
  libkrb5-dev build-essential python3 # to build code-server's native modules for the e2e tests
)
if [ "$(id -u)" -ne 0 ]; then
  echo "Run as root (sudo $0): it installs Debian packages." >&2
  exit 1
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# libvirtd's QEMU driver resolves its default user and group (libvirt-qemu, group kvm) before it
# reads qemu.conf, so they must exist even where qemu.conf says otherwise. Debian makes them in
# libvirt-daemon-system, whose systemd units we do not want (the tests start the daemons
# themselves): make them the same way it does.
getent group kvm >/dev/null || addgroup --quiet --system kvm
getent passwd libvirt-qemu >/dev/null ||
  adduser --quiet --system --ingroup kvm --disabled-login --disabled-password --home /var/lib/libvirt --no-create-home --gecos "Libvirt Qemu" libvirt-qemu
getent group libvirt-qemu >/dev/null || { addgroup --quiet --system libvirt-qemu && adduser --quiet libvirt-qemu libvirt-qemu; }
echo "system packages: all present (${#packages[@]})"
