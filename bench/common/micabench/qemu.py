# SPDX-License-Identifier: BSD-3-Clause
"""The one QEMU command line the benches use, and the accelerator choice.

Every guest compared in a bench gets exactly the flags of argv(); only
-kernel/-initrd/-append differ. microvm + qboot: no SeaBIOS (4-5 s under
nested KVM), no PCI, a 16550 on COM1, isa-debug-exit at 0xf4.
"""

import os
import shutil

QEMU = "qemu-system-x86_64"
QBOOT = "/usr/share/qemu/qboot.rom"
DEBUG_EXIT = "isa-debug-exit,iobase=0xf4,iosize=0x04"

ACCEL_FLAGS = {
    "tcg": ["-accel", "tcg", "-cpu", "max"],
    # kvm-pvm (HOST-NOTES) aborts with plain host/max; harmless on real KVM.
    "kvm": ["-accel", "kvm", "-cpu", "host,-arch-capabilities"],
}


def debug_exit_rc(status):
    """QEMU's exit code after the guest writes status to isa-debug-exit."""
    return ((status << 1) | 1) & 0xff


def argv(accel, mem, kernel, initrd=None, append=None, machine="microvm"):
    """mem is a QEMU size string ("128M", "1536K")."""
    a = [QEMU, "-M", machine, "-bios", QBOOT] + ACCEL_FLAGS[accel] + [
        "-m", mem, "-smp", "1", "-nodefaults", "-no-user-config",
        "-display", "none", "-serial", "stdio",
        "-device", DEBUG_EXIT, "-no-reboot", "-kernel", kernel]
    if initrd:
        a += ["-initrd", initrd]
    if append:
        a += ["-append", append]
    return a


def available():
    return shutil.which(QEMU) is not None and os.path.exists(QBOOT)


def version():
    import subprocess
    try:
        out = subprocess.run([QEMU, "--version"], capture_output=True,
                             timeout=10).stdout.decode()
        return out.splitlines()[0].strip()
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"
