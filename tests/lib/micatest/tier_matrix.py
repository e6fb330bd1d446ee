# SPDX-License-Identifier: BSD-3-Clause
"""Tier 4: the configuration space. Every app's checked-in defconfigs
build and boot (a table app x configuration is printed at the end), and
fixed randconfig seeds of helloworld, with the platform pinned, build: a
configuration Kconfig accepts must build."""

import glob
import os
import threading

from .core import Fail, Test
from .mica import app_build, boot, build

RAND_SEEDS = range(1, 11)
RAND_PLATS = ("kvm", "linuxu", "xen")


class Table:
    """Rows: app (and the variant a defconfig name adds after
    <plat>-<arch>, as in kvm-x86_64-tlsf); columns: <plat>-<arch>."""

    def __init__(self):
        self.lock = threading.Lock()
        self.cells = {}

    @staticmethod
    def place(app, cfg):
        parts = cfg.split("-")
        col = "-".join(parts[:2])
        row = app + ("" if len(parts) <= 2 else
                     " (%s)" % "-".join(parts[2:]))
        return row, col

    def set(self, app, cfg, value):
        with self.lock:
            self.cells[self.place(app, cfg)] = value

    def lines(self):
        if not self.cells:
            return []
        rows = sorted(set(r for r, _ in self.cells))
        cols = sorted(set(c for _, c in self.cells))
        w0 = max(len("app"), *(len(r) for r in rows))
        ws = [max(len(c), 10) for c in cols]
        out = ["matrix (every app x checked-in defconfig: build and boot):"]
        out.append("  " + "app".ljust(w0) + "".join(
            "  " + c.ljust(w) for c, w in zip(cols, ws)))
        for r in rows:
            out.append("  " + r.ljust(w0) + "".join(
                "  " + self.cells.get((r, c), "-").ljust(w)
                for c, w in zip(cols, ws)))
        return [ln.rstrip() for ln in out]


def boot_ok(app, p):
    """What "boots" means for each app."""
    if p.timed_out:
        return "did not finish"
    if any(ln.startswith("CRASH") for ln in p.out.splitlines()):
        return "crashed"
    if app == "testsuite":
        # Its status counts failed cases; tier 2 reports them one by one.
        if "# mica-test:" not in p.out:
            return "no final '# mica-test:' line"
        return None
    if p.rc != 0:
        return "exit status %s" % p.rc
    return None


def t_defconfig(table, app, cfg):
    def t(ctx):
        try:
            img = app_build(ctx, app, cfg)
        except Fail:
            table.set(app, cfg, "FAIL build")
            raise
        # mica-run boots each platform its way (xen: Xen, then the image
        # as its dom0, under QEMU).
        p = boot(ctx, img, [], timeout=120 if app == "testsuite" else 30)
        why = boot_ok(app, p)
        if why:
            table.set(app, cfg, "FAIL boot")
            raise Fail("%s %s built but did not boot: %s" % (app, cfg, why),
                       p)
        table.set(app, cfg, "ok")
    return t


def t_rand(plat, seed):
    def t(ctx):
        img = build(ctx, "rand/%s-%d" % (plat, seed),
                    os.path.join(ctx.root, "apps", "helloworld"),
                    seed=seed, plat=plat)
        if img.plat != plat:
            raise Fail("randconfig SEED=%d PLAT=%s gave platform '%s'"
                       % (seed, plat, img.plat))
    return t


def t_minimal(plat):
    """A fixture app that selects nothing and uses only <mica/print.h>:
    the smallest configuration Kconfig accepts must build and run."""
    def t(ctx):
        app = os.path.join(ctx.root, "tests", "fixtures", "bare-app")
        img = build(ctx, "bare-app/" + plat, app,
                    defconfig=os.path.join(app, "configs",
                                           "%s-x86_64.defconfig" % plat))
        p = boot(ctx, img, ["--", "one"], timeout=30)
        if p.timed_out or p.rc != 0 or \
                "bare-app: 1 argument" not in p.out.splitlines():
            raise Fail("expected 'bare-app: 1 argument' and status 0", p)
    return t


def tests(ctx):
    table = Table()
    ctx.summaries.append(table.lines)
    out = []
    for f in sorted(glob.glob(os.path.join(ctx.root, "apps", "*", "configs",
                                           "*.defconfig"))):
        app = os.path.basename(os.path.dirname(os.path.dirname(f)))
        cfg = os.path.basename(f)[:-len(".defconfig")]
        out.append(Test("matrix/%s/%s" % (app, cfg),
                        t_defconfig(table, app, cfg)))
    for plat in RAND_PLATS:
        out.append(Test("matrix/minimal-app/" + plat, t_minimal(plat)))
    for plat in RAND_PLATS:
        for seed in RAND_SEEDS:
            out.append(Test("matrix/randconfig/%s-seed-%d" % (plat, seed),
                            t_rand(plat, seed)))
    return out
