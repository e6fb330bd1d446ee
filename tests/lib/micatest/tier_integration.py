# SPDX-License-Identifier: BSD-3-Clause
"""Tier 3: images booted and checked from the host, on every platform.
helloworld's greeting and argv, exit statuses, crashes (page fault,
invalid opcode, W^X), a guest that hangs, and bad command lines."""

import re

from .core import Fail, Test
from .mica import app_build, boot

PLATS = ("linuxu", "kvm")
CRASH_STATUS = 125
TIMEOUT_STATUS = 124
HANG_LIMIT = 3


def lines_of(p):
    return [ln.rstrip("\r") for ln in p.out.splitlines()]


def expect_status(p, status, what):
    if p.timed_out:
        raise Fail("%s: the guest was not stopped by mica-run" % what, p)
    if p.rc != status:
        raise Fail("%s: exit status %s, expected %d" % (what, p.rc, status),
                   p)


def no_crash(p):
    if any(ln.startswith("CRASH") for ln in lines_of(p)):
        raise Fail("the image crashed", p)


def t_hello(plat):
    def t(ctx):
        img = app_build(ctx, "helloworld", plat)
        p = boot(ctx, img, ["--", "two words", "x"], timeout=30)
        expect_status(p, 0, "helloworld")
        no_crash(p)
        ls = lines_of(p)
        if "Hello from Mica!" not in ls:
            raise Fail("no line 'Hello from Mica!'", p)
        rest = ls[ls.index("Hello from Mica!") + 1:]
        args = [ln for ln in rest if ln.startswith("argv[")]
        want0 = (r"argv\[0\]: helloworld$" if plat != "linuxu" else
                 r"argv\[0\]: \S*helloworld\S*$")
        if len(args) != 3 or not re.match(want0, args[0]) or \
                args[1:] != ["argv[1]: two words", "argv[2]: x"]:
            raise Fail("expected exactly argv[0] (helloworld), "
                       "'argv[1]: two words', 'argv[2]: x'",
                       p, ["got: %r" % args])
    return t


def t_status(plat):
    def t(ctx):
        img = app_build(ctx, "selftest", plat)
        p = boot(ctx, img, ["--", "status", "42"], timeout=30)
        expect_status(p, 42, "selftest status 42")
        if "selftest: status" not in lines_of(p):
            raise Fail("selftest did not run its 'status' behaviour", p)
    return t


# What each crash must say, per platform (the CRASH: line).
CRASH_EXPECT = {
    ("fault", "kvm"): r"page fault.*write of a non-present page.*"
                      r"at address 0xdead0000000\b",
    ("fault", "linuxu"): r"segmentation fault at address 0xdead0000000\b",
    ("ud2", "kvm"): r"invalid opcode",
    ("ud2", "linuxu"): r"invalid opcode",
    ("wx", "kvm"): r"page fault.*write violating page protection",
    ("wx", "linuxu"): r"segmentation fault at address 0x[0-9a-f]+",
}


def t_crash(what, plat):
    def t(ctx):
        img = app_build(ctx, "selftest", plat)
        p = boot(ctx, img, ["--", what], timeout=30)
        ls = lines_of(p)
        crash = [ln for ln in ls if ln.startswith("CRASH:")]
        problems = []
        if not crash:
            problems.append("no 'CRASH:' line")
        elif not re.search(CRASH_EXPECT[(what, plat)], crash[0]):
            problems.append("the CRASH line does not match /%s/"
                            % CRASH_EXPECT[(what, plat)])
        if not any(re.match(r"^rip [0-9a-f]{16}\b", ln) for ln in ls):
            problems.append("no register dump ('rip <16 hex digits>')")
        if "backtrace:" not in ls:
            problems.append("no 'backtrace:' line")
        if what == "wx" and any("W^X does not hold" in ln for ln in ls):
            problems.append("the write into the text segment succeeded")
        if p.timed_out:
            problems.append("the guest hung after the crash (killed)")
        elif p.rc != CRASH_STATUS:
            problems.append("exit status %s, expected %d"
                            % (p.rc, CRASH_STATUS))
        if problems:
            raise Fail("; ".join(problems), p)
    return t


def t_hang(plat):
    def t(ctx):
        img = app_build(ctx, "selftest", plat)
        p = boot(ctx, img, ["--", "hang"], timeout=HANG_LIMIT)
        if p.timed_out:
            raise Fail("mica-run itself did not stop the hung guest", p)
        if p.rc != TIMEOUT_STATUS:
            raise Fail("a guest that hangs must end with status %d (killed "
                       "by the runner), got %s" % (TIMEOUT_STATUS, p.rc), p)
        if not re.search(r"exceeded its time limit.*killed", p.err):
            raise Fail("mica-run did not say it killed the guest", p)
        if p.secs > HANG_LIMIT + 15:
            raise Fail("the kill took %.1f s for a limit of %d s"
                       % (p.secs, HANG_LIMIT), p)
        if "selftest: hang" not in lines_of(p):
            raise Fail("the guest never reached its 'hang' behaviour", p)
    return t


def boots_normally(p, args):
    """selftest 'args' ran with exactly these app arguments, status 0."""
    expect_status(p, 0, "boot")
    no_crash(p)
    ls = lines_of(p)
    if "selftest: args" not in ls:
        raise Fail("selftest did not reach main's 'args' behaviour", p)
    got = [ln for ln in ls if re.match(r"^argv\[[1-9]", ln)]
    want = ["argv[%d]: %s" % (i + 1, a) for i, a in enumerate(args)]
    if got != want:
        raise Fail("expected app arguments %r, got %r" % (want, got), p)


def warning_naming(p, *words):
    for ln in lines_of(p) + p.err.splitlines():
        if all(w in ln for w in words):
            return ln
    raise Fail("no warning line naming %s" % " and ".join(
        repr(w) for w in words), p)


def t_unterminated(ctx):
    # mica-run quotes its words properly, so the malformed line goes to
    # QEMU as it is. (linuxu gets argv already split: nothing to test.)
    img = app_build(ctx, "selftest", "kvm")
    p = boot(ctx, img, [], timeout=30,
             qemu_args=["-append", "params.list=1 -- args 'unterminated"])
    warning_naming(p, "unterminated")
    # Defaults: the whole command line is ignored, params.list too.
    boots_normally(p, [])
    if any("library parameters" in ln for ln in lines_of(p)):
        raise Fail("a parameter from the malformed command line was "
                   "applied", p)


def t_unknown_param(plat):
    def t(ctx):
        img = app_build(ctx, "selftest", plat)
        p = boot(ctx, img, ["nosuch.param=1", "--", "args", "a b"],
                 timeout=30)
        warning_naming(p, "nosuch.param")
        boots_normally(p, ["args", "a b"])
    return t


def t_bad_param_value(plat):
    def t(ctx):
        img = app_build(ctx, "selftest", plat)
        p = boot(ctx, img, ["params.list=banana", "--", "args"],
                 timeout=30)
        warning_naming(p, "params.list=banana")
        boots_normally(p, ["args"])
        if any("library parameters" in ln for ln in lines_of(p)):
            raise Fail("params.list=banana was taken as true", p)
    return t


def t_params_list(plat):
    def t(ctx):
        img = app_build(ctx, "selftest", plat)
        p = boot(ctx, img, ["params.list=1", "--", "args"], timeout=30)
        boots_normally(p, ["args"])
        ls = lines_of(p)
        if not any(ln.startswith("library parameters") for ln in ls):
            raise Fail("no 'library parameters' listing", p)
        if not any(re.match(r"^\s+params\.list \(bool\) = 1\s*$", ln)
                   for ln in ls):
            raise Fail("the listing lacks 'params.list (bool) = 1'", p)
    return t


def t_machine(machine):
    """helloworld boots the same way on QEMU's other PC machines."""
    def t(ctx):
        img = app_build(ctx, "helloworld", "kvm")
        p = boot(ctx, img, ["--", machine], timeout=30, machine=machine)
        expect_status(p, 0, "helloworld on -M %s" % machine)
        if "argv[1]: %s" % machine not in lines_of(p):
            raise Fail("helloworld on -M %s: no greeting with its argv"
                       % machine, p)
    return t


def t_heapcap(plat, alloc):
    """alloc.heap=8M caps the heap: apps/alloc-check's heapcap mode checks
    the total, that 16 MiB is refused with ENOMEM, and recovery."""
    def t(ctx):
        img = app_build(ctx, "alloc-check", "%s-x86_64-%s" % (plat, alloc))
        p = boot(ctx, img, ["alloc.heap=8M", "--", "heapcap", "8"],
                 timeout=60)
        expect_status(p, 0, "alloc-check heapcap 8")
        no_crash(p)
        if not re.search(r"^alloc-check: %s: (\d+) of \1 checks passed"
                         % alloc, p.out, re.M):
            raise Fail("alloc-check did not report every check passed", p)
    return t


# What LIB_ALLOC_DEBUG must say for each misuse apps/alloc-check makes.
MISUSE_EXPECT = {
    "doublefree": r"CRASH at .*: tlsf: double free of 0x[0-9a-f]+ "
                  r"\(called from 0x[0-9a-f]+\)",
    "overrun": r"CRASH at .*: tlsf: write past the end of the 24-byte "
               r"block 0x[0-9a-f]+ allocated from 0x[0-9a-f]+",
    "badfree": r"CRASH at .*: tlsf: free of 0x[0-9a-f]+, which no "
               r"allocation returned",
}


def t_misuse(plat, what):
    """With LIB_ALLOC_DEBUG, heap misuse stops the image with a report
    naming the caller, a backtrace and the crash status."""
    def t(ctx):
        img = app_build(ctx, "alloc-check", plat + "-x86_64-debug")
        p = boot(ctx, img, ["--", what], timeout=30)
        expect_status(p, CRASH_STATUS, "alloc-check %s" % what)
        if not re.search(MISUSE_EXPECT[what], p.out, re.M):
            raise Fail("no report matching %r" % MISUSE_EXPECT[what], p)
        if "backtrace:" not in p.out:
            raise Fail("no backtrace after the report", p)
        # The address the report names is the app's own call of
        # malloc/free, not the C library's.
        m = re.search(r"(?:called|allocated) from (0x[0-9a-f]+)", p.out)
        q = ctx.must(["addr2line", "-e", img.dbg, m.group(1)], 60,
                     "addr2line", slot=False)
        if "/app/main.c" not in q.out:
            raise Fail("the report names %s, which is %s, not the app's "
                       "code" % (m.group(1), q.out.strip()), p)
    return t


def tests():
    out = [Test("integration/kvm/machine-pc", t_machine("pc")),
           Test("integration/kvm/machine-q35", t_machine("q35"))]
    for plat in PLATS:
        pre = "integration/%s/" % plat
        out += [
            Test(pre + "helloworld-greeting-and-argv", t_hello(plat)),
            Test(pre + "exit-status-42", t_status(plat)),
            Test(pre + "crash-page-fault", t_crash("fault", plat)),
            Test(pre + "crash-ud2", t_crash("ud2", plat)),
            Test(pre + "crash-wx-text-write", t_crash("wx", plat)),
            Test(pre + "hang-killed-by-runner", t_hang(plat)),
            Test(pre + "unknown-param-warns", t_unknown_param(plat)),
            Test(pre + "bad-param-value-warns", t_bad_param_value(plat)),
            Test(pre + "params-list", t_params_list(plat)),
        ]
        out += [Test(pre + "alloc-heap-cap-" + a, t_heapcap(plat, a))
                for a in ("tlsf", "buddy", "region")]
        out += [Test(pre + "alloc-debug-" + m, t_misuse(plat, m))
                for m in sorted(MISUSE_EXPECT)]
        if plat == "kvm":
            out.append(Test(pre + "cmdline-unterminated-quote",
                            t_unterminated))
    return out
