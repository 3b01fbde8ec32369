/**
 * The example lab file "QEMU Lab: New Lab File" writes (and `qemu-lab init`): one
 * VM on this machine and one experiment, every key explained. It validates with no diagnostics (a unit test
 * checks), so a new user starts from a file that works.
 */

/** The text of the example lab file, `qemu-lab.yaml`. */
export const exampleLabText = `# QEMU Lab — a lab file.
#
# A lab file describes the machines QEMU runs on (hosts), the networks and virtual machines
# (vms) of your lab, the benchmark experiments to run on them, and live migrations between hosts.
# Check it with \`qemu-lab check\`; boot a VM with \`qemu-lab up vm1\`.
#
# Sizes are binary: 512K, 1024M, 1G, 2T (a plain number is bytes). Durations: 300ms, 2s.
# Names use letters, digits, ".", "_" and "-" (at most 64 characters).

hosts:
  # This machine. It always exists, even when not written here.
  local: { kind: local }

  # A second machine reached over SSH, e.g. the destination of a live migration.
  # "address" is an IP address, a host name, or an alias from ~/.ssh/config.
  # lab-b:
  #   kind: ssh
  #   address: 10.0.0.2
  #   user: root                      # optional
  #   port: 22                        # optional
  #   identity: ~/.ssh/id_ed25519     # optional: the private key to log in with

# Bridge networks VMs can join (each VM on one gets a TAP device on the host's bridge).
# Without any, VMs use QEMU's user-mode network: outgoing traffic works, and SSH reaches
# the guest through a port forwarded on 127.0.0.1.
# networks:
#   lan: { kind: bridge, bridge: br0 }

vms:
  vm1:
    host: local          # a name under hosts:
    image: builtin       # the built-in lab guest, or the path of a qcow2/raw disk image
    cpus: 1              # 1 to 64
    memory: 1G
    accel: auto          # kvm (hardware virtualization), tcg (emulation), or auto: kvm when usable
    machine: q35         # q35 or pc
    nic: virtio          # virtio, e1000, or another QEMU NIC model
    network: user        # user, or the name of a network under networks:
    # sshPort: 2222      # fixed host port for SSH on the user network; default: a free port
    # vnc: false         # true: a screen (Open Screen), VNC on a private UNIX socket
    # extraArgs: [-device, virtio-rng-pci]   # appended to QEMU's command line as is
    # On a bridge network, the guest's address and gateway:
    # address: 10.10.0.11/24
    # gateway: 10.10.0.1

experiments:
  # Every combination of the matrix (here 2 accelerators x 2 NICs = 4 configurations),
  # each benchmark on each target, repeated so the numbers can be compared.
  kvm-vs-tcg:
    vm: vm1
    matrix:
      accel: [kvm, tcg]
      nic: [virtio, e1000]
    targets: [guest]                                       # guest and/or host (a baseline)
    benchmarks: [sysbench-cpu, sysbench-memory, iperf3]   # also: iperf
    repetitions: 5

# Live migrations: move a running VM to another host (uncomment lab-b above first).
# migrations:
#   move-vm1:
#     vm: vm1
#     to: lab-b
#     maxBandwidth: 1G          # bytes per second; default: no limit
#     downtimeLimit: 300ms      # the longest pause allowed at switch-over
#     capabilities: [auto-converge]   # also: xbzrle, postcopy, multifd
`;
