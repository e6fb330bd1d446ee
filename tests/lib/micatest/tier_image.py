# SPDX-License-Identifier: BSD-3-Clause
"""Tier 2: the in-image test suites (apps/testsuite), run from every
checked-in configuration: each platform, and variants such as another
default allocator (configs/<plat>-<arch>-<variant>.defconfig). Each KTAP
case is one test; so are the completeness of the stream, the exit
status, and the presence of the suites the foundation requires (and on
configurations with a scheduler, the scheduler's)."""

import glob
import os

from . import ktap
from .core import Test
from .mica import app_build, boot

# Suites the foundation issue requires on every platform: printf
# formatting, string functions, strtol edge cases, boot init order,
# library parameters.
REQUIRED_SUITES = ("nolibc_printf", "nolibc_string", "nolibc_stdlib",
                   "boot_init", "params", "alloc_api", "alloc_exhaust")
# ... and on the configurations with a scheduler (named <plat>-<arch>-coop
# or -preempt, possibly with more after): threads, thread-local storage,
# sleep and wait queues, and under sched-preempt time slicing; the locks
# and POSIX threads built on them.
SCHED_SUITES = ("sched_thread", "sched_tls", "sched_sleep", "sched_waitq",
                "lock_mutex", "lock_sem", "lock_cond", "lock_rwlock",
                "lock_spin", "lock_misuse",
                "pthread_thread", "pthread_tls", "pthread_mutex",
                "pthread_cond", "pthread_rwlock", "pthread_spin",
                "pthread_barrier", "pthread_once", "pthread_key",
                "pthread_time")
VARIANT_SUITES = {
    "coop": SCHED_SUITES,
    "preempt": SCHED_SUITES + ("sched_preempt",),
}
MAX_STATUS = 100            # apps/testsuite caps its exit status here


def required_suites(config):
    """The suites the image built from configs/<config> must run."""
    out = list(REQUIRED_SUITES)
    for variant in config.split("-")[2:]:
        out += [s for s in VARIANT_SUITES.get(variant, ()) if s not in out]
    return out


def t_image(config):
    def t(ctx):
        img = app_build(ctx, "testsuite", config)
        p = boot(ctx, img, [], timeout=120)
        r = ktap.parse(p.out)
        pre = "image/%s/" % config
        for s, c in r.cases():
            name = "%s%s/%s" % (pre, s.name, c.name)
            details = []
            if not c.ok:
                details = ["KTAP: not ok %d %s" % (c.number, c.name)]
                details += c.diags or ["(no diagnostics)"]
            elif c.skipped:
                details = ["skipped: " + c.directive]
            ctx.result(name, c.ok, details)

        problems = list(r.errors)
        if p.timed_out:
            problems.append("the image did not finish (killed)")
        if "CRASH" in p.out:
            problems.append("the image crashed")
        if r.found and r.plan == 0:
            problems.append("the image ran no suites at all")
        ctx.result(pre + "ktap-complete", not problems,
                   problems + (p.describe() if problems else []))

        failed = r.failed_cases()
        want = min(failed, MAX_STATUS)
        ok = not p.timed_out and p.rc == want and r.found
        ctx.result(pre + "exit-status", ok,
                   [] if ok else
                   ["exit status %s, but %d cases failed (expected status "
                    "%d: 0 if and only if every case passed)"
                    % ("killed" if p.timed_out else p.rc, failed, want)])

        names = set(s.name for s in r.suites)
        missing = [s for s in required_suites(config) if s not in names]
        ctx.result(pre + "required-suites", not missing,
                   ["missing suites: " + " ".join(missing),
                    "present: " + " ".join(sorted(names))]
                   if missing else [])
    return t


def configs():
    """linuxu-x86_64, kvm-x86_64, then the variants."""
    here = os.path.dirname(os.path.abspath(__file__))
    d = os.path.join(here, "..", "..", "..", "apps", "testsuite", "configs")
    names = [os.path.basename(f)[:-len(".defconfig")]
             for f in glob.glob(os.path.join(d, "*.defconfig"))]
    return sorted(names, key=lambda n: (n.count("-") > 1, n))


def tests():
    return [Test("image/" + c, t_image(c), dynamic=True) for c in configs()]
