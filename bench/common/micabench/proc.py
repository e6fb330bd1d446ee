# SPDX-License-Identifier: BSD-3-Clause
"""Run a command once: wall time, the child's own user+sys CPU, a timeout.

The child's stdout+stderr go to a file (never a pipe, so a chatty guest
can not block on a full pipe while we wait), stdin is /dev/null (QEMU's
`-serial stdio` would otherwise put a terminal into raw mode).
"""

import os
import signal
import subprocess
import threading
import time


class RunResult:
    __slots__ = ("argv", "rc", "wall_s", "cpu_s", "user_s", "sys_s",
                 "timed_out", "output", "maxrss_kib")

    def __init__(self, argv):
        self.argv = argv
        self.rc = None
        self.wall_s = None
        self.cpu_s = None
        self.user_s = None
        self.sys_s = None
        self.timed_out = False
        self.output = ""
        self.maxrss_kib = None


def run_timed(argv, timeout_s, log_path, env=None, cwd=None):
    """Run argv, wait with os.wait4 and return a RunResult.

    wall_s is measured from just before fork to the reaping of the child,
    cpu_s is the child's ru_utime + ru_stime. A child still running after
    timeout_s is killed (SIGKILL, whole process group) and timed_out set.
    """
    res = RunResult(argv)
    with open(log_path, "wb") as log:
        t0 = time.monotonic()
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                             stderr=subprocess.STDOUT, env=env, cwd=cwd,
                             start_new_session=True)
        fired = threading.Event()

        def kill():
            fired.set()
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout_s, kill)
        timer.daemon = True
        timer.start()
        try:
            while True:
                try:
                    _, status, ru = os.wait4(p.pid, 0)
                    break
                except InterruptedError:
                    continue
        finally:
            timer.cancel()
        t1 = time.monotonic()
        p.returncode = os.waitstatus_to_exitcode(status)
    res.rc = p.returncode
    res.wall_s = t1 - t0
    res.user_s = ru.ru_utime
    res.sys_s = ru.ru_stime
    res.cpu_s = ru.ru_utime + ru.ru_stime
    res.maxrss_kib = ru.ru_maxrss
    res.timed_out = fired.is_set()
    with open(log_path, "rb") as f:
        res.output = f.read().decode("utf-8", "replace")
    return res


def run_checked(argv, cwd=None, env=None, quiet=False):
    """Run a helper command (build, apt); raise CalledProcessError on failure.

    Returns (wall seconds, combined output)."""
    t0 = time.monotonic()
    p = subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    dt = time.monotonic() - t0
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0:
        raise subprocess.CalledProcessError(p.returncode, argv, output=out)
    return dt, out
