#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Run Mica's tests, every tier, and end with one line "N passed, N failed".

  tests/run.py [-j N] [-k PATTERN]... [-v] [--accel tcg|kvm] [--list]

Tiers (docs: DESIGN.md section 6):
  host/...         1: formatting, host unit tests, Kconfig tooling, what
                      the build links, out-of-tree apps, reproducibility,
                      boot headers, menuconfig
  image/...        2: in-image test suites (KTAP) on linuxu and kvm
  integration/...  3: images booted and checked from the host
  xen-domu/...     3: Xen domUs created by xl under a Linux dom0, all in
                      one QEMU (docs/xen-domu.md)
  matrix/...       4: every app x checked-in defconfig, randconfig seeds

One line per test: "ok - <name>" or "not ok - <name>" followed by what
went wrong (the command, its status, the last lines of its output).
Builds go to build/tests/ (each from scratch); every command has a time
limit. Exit status: 0 when everything passed, 1 otherwise.

-k PATTERN runs the tests whose name contains PATTERN (or matches it as
a shell pattern); a pattern naming results inside a test (one KTAP case,
one host unit test) runs that test and shows only the matching results.
"""

import argparse
import fnmatch
import os
import signal
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))

from micatest import (tier_host, tier_image, tier_integration,  # noqa: E402
                      tier_matrix, tier_xen_domu)
from micatest.core import Context, run_tests  # noqa: E402


def all_tests(ctx):
    return (tier_host.tests() + tier_image.tests() +
            tier_integration.tests() + tier_xen_domu.tests(ctx) +
            tier_matrix.tests(ctx))


def matches(pattern, name):
    if any(c in pattern for c in "*?["):
        return fnmatch.fnmatchcase(name, pattern) or \
            fnmatch.fnmatchcase(name, "*" + pattern + "*")
    return pattern in name


def select(tests, patterns):
    """Tests to run, and a filter on the results they report."""
    if not patterns:
        return tests, None
    chosen = set()
    for p in patterns:
        # A pattern selects a test when it matches the test's name, or
        # names something inside it ("image/linuxu/nolibc_printf"). One
        # that matches no test's name may name results that tests only
        # know once they run (KTAP cases, host unit tests): it selects
        # those tests.
        hit = [t for t in tests if matches(p, t.name) or
               p.startswith(t.name + "/")]
        if not hit:
            hit = [t for t in tests if t.dynamic]
        chosen.update(id(t) for t in hit)

    def keep(test, result_name):
        if result_name == test.name:
            return True     # the test's own result: it could not run
        return any(matches(p, result_name) or
                   (matches(p, test.name) and
                    not p.startswith(test.name + "/"))
                   for p in patterns)
    return [t for t in tests if id(t) in chosen], keep


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.split("\n")[2:]))
    ap.add_argument("-j", "--jobs", type=int,
                    default=os.cpu_count() or 2,
                    help="commands run at once (default: the CPU count)")
    ap.add_argument("-k", dest="patterns", action="append", default=[],
                    metavar="PATTERN", help="run only matching tests "
                    "(repeatable: any of them)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="show every command as it starts; after each "
                    "passing test, its commands and their output; after "
                    "a failing one, the full output")
    ap.add_argument("--accel", choices=["tcg", "kvm"], default="tcg",
                    help="QEMU accelerator for kvm images (default tcg, so "
                    "results are the same on every host)")
    ap.add_argument("--deadline", type=int, default=1800, metavar="S",
                    help="stop whatever still runs after S seconds and "
                    "count it as failed (default %(default)s)")
    ap.add_argument("--list", action="store_true",
                    help="list the tests and exit")
    a = ap.parse_args()
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)

    ctx = Context(ROOT, max(1, a.jobs), a.accel, a.verbose)
    tests, keep = select(all_tests(ctx), a.patterns)
    if a.list:
        for t in tests:
            print(t.name)
        return 0
    if not tests:
        print("no test matches %s" % " ".join(a.patterns))
        print("0 passed, 0 failed")
        return 1
    os.makedirs(ctx.out, exist_ok=True)

    t0 = time.monotonic()
    try:
        passed, failed = run_tests(ctx, tests, keep=keep,
                                   deadline=a.deadline)
    except KeyboardInterrupt:
        sys.stdout.write("\ninterrupted\n")
        return 130
    if a.verbose:
        slow = sorted(tests, key=lambda t: -t.secs)[:10]
        print("\nslowest tests (including waits for shared builds):")
        for t in slow:
            print("  %6.1f s  %s" % (t.secs, t.name))
    for summary in ctx.summaries:
        lines = summary()
        if lines:
            print("")
            print("\n".join(lines))
    print("(%d tests in %.0f s, -j%d, accel %s)"
          % (passed + failed, time.monotonic() - t0, ctx.jobs, ctx.accel))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
