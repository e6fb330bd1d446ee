# SPDX-License-Identifier: BSD-3-Clause
"""Facts about the host a bench needs: TSC frequency, KVM presence."""

import os
import re
import subprocess

from . import proc

_HERE = os.path.dirname(os.path.abspath(__file__))
TSC_SRC = os.path.join(os.path.dirname(_HERE), "tsc_khz.c")


def _kernel_log():
    for argv in (["dmesg"], ["journalctl", "-k", "-b", "--no-pager", "-q"]):
        try:
            p = subprocess.run(argv, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if p.returncode == 0 and p.stdout:
            return p.stdout.decode("utf-8", "replace")
    return ""


def tsc_khz_from_kernel_log():
    """The host kernel's own TSC figure in kHz, or None.

    "Refined TSC clocksource calibration" beats "Detected ... MHz".
    The ring buffer may have wrapped or be unreadable: then None."""
    log = _kernel_log()
    for pat in (r"tsc: Refined TSC clocksource calibration: ([0-9.]+) MHz",
                r"tsc: Detected ([0-9.]+) MHz processor"):
        m = re.findall(pat, log)
        if m:
            return int(round(float(m[-1]) * 1000))
    return None


def tsc_khz_measured(build_dir):
    """Measure the TSC rate with a tiny C helper (see ../tsc_khz.c)."""
    exe = os.path.join(build_dir, "tsc_khz")
    if (not os.path.exists(exe)
            or os.path.getmtime(exe) < os.path.getmtime(TSC_SRC)):
        proc.run_checked(["gcc", "-O2", "-o", exe, TSC_SRC])
    out = subprocess.run([exe], capture_output=True, check=True).stdout
    return int(out.decode().strip())


def tsc_khz(build_dir):
    """Return (khz, how) for the host TSC.

    Measured directly (rdtsc against CLOCK_MONOTONIC_RAW): under TCG the
    guest reads the host's rdtsc, so the measured rate is by construction
    what the guest sees, and it needs no access to the kernel log, which
    may have wrapped. The kernel's own figure is used instead when it is
    readable and agrees within 0.5% (it is calibrated over a longer time).
    """
    measured = None
    try:
        measured = tsc_khz_measured(build_dir)
    except (OSError, subprocess.CalledProcessError, ValueError):
        pass
    logged = tsc_khz_from_kernel_log()
    if measured and logged and abs(logged - measured) <= measured * 0.005:
        return logged, "host kernel log (measured %d kHz agrees)" % measured
    if measured:
        extra = (" (kernel log says %d kHz, disagrees)" % logged
                 if logged else "")
        return measured, "measured rdtsc vs CLOCK_MONOTONIC_RAW" + extra
    if logged:
        return logged, "host kernel log"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"cpu MHz\s*:\s*([0-9.]+)", f.read())
        if m:
            return int(round(float(m.group(1)) * 1000)), "/proc/cpuinfo"
    except OSError:
        pass
    return None, "unknown"


def kvm_device():
    """'/dev/kvm' if it exists and opens read-write, else None."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return None
    os.close(fd)
    return "/dev/kvm"


def kvm_is_pvm():
    """True when the kvm-pvm module (software nested KVM) is loaded."""
    try:
        with open("/proc/modules") as f:
            return any(line.startswith("kvm_pvm ") for line in f)
    except OSError:
        return False


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.+)", f.read())
        return m.group(1).strip() if m else "?"
    except OSError:
        return "?"
