"""PID 1 of a test libvirt daemon's PID namespace (see libvirt-daemon.ts next to this file).

Usage: reaper.py SRC DST [SRC DST ...] -- COMMAND [COMMAND ...]

Bind-mounts each SRC over DST (libvirt's fixed config, runtime and state directories, so every
test daemon has its own), mounts a /proc of this PID namespace, starts each COMMAND with sh, and
then reaps every process that ends in the namespace: QEMU, which libvirtd daemonizes, is
reparented here, and a zombie QEMU would look alive to libvirtd. Killing this process (SIGKILL
from outside) makes the kernel kill everything in the namespace, and nothing else.
"""
import os
import signal
import subprocess
import sys

args = sys.argv[1:]
binds = []
while args and args[0] != "--":
    binds.append((args[0], args[1]))
    args = args[2:]
commands = args[1:]
for source, target in binds:
    os.makedirs(target, exist_ok=True)
    subprocess.run(["mount", "--bind", source, target], check=True)
subprocess.run(["mount", "-t", "proc", "proc", "/proc"], check=True)
for command in commands:
    subprocess.Popen(["sh", "-c", command])
while True:
    try:
        os.wait()
    except ChildProcessError:
        signal.pause()
