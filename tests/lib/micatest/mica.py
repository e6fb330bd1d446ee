# SPDX-License-Identifier: BSD-3-Clause
"""Building and booting Mica images for the tests.

Every build happens from scratch in its own directory under
build/tests/, and is shared: the first test that needs "helloworld for
kvm" builds it, the others wait for that build and reuse it (or its
failure).
"""

import os
import re
import shlex
import shutil
import subprocess
import threading
import time

from .core import Fail, Proc

CONFIG_TIMEOUT = 60
BUILD_TIMEOUT = 300
BOOT_TIMEOUT = 60          # given to mica-run; the host adds a margin


class Image:
    def __init__(self, app, build_dir, config):
        self.app = app
        self.dir = build_dir
        self.config = config
        self.plat = config.get("PLAT_NAME", "")
        self.arch = config.get("ARCH_NAME", "")
        self.path = os.path.join(build_dir, "%s_%s-%s"
                                 % (app, self.plat, self.arch))
        self.dbg = self.path + ".dbg"
        self.map = self.path + ".map"

    def lib_object(self, name):
        return os.path.join(self.dir, "libs", name + ".o")


def read_config(path):
    """A .config as {SYMBOL: value} (without CONFIG_, strings unquoted);
    symbols set to n are absent."""
    out = {}
    with open(path) as f:
        for ln in f:
            m = re.match(r"^CONFIG_([A-Za-z0-9_]+)=(.*)$", ln.rstrip("\n"))
            if m:
                v = m.group(2)
                if len(v) >= 2 and v[0] == v[-1] == '"':
                    v = v[1:-1].replace('\\"', '"').replace("\\\\", "\\")
                out[m.group(1)] = v
    return out


def make_cmd(ctx, app_dir, build_dir, *args, mica_root=None, libs=None):
    cmd = ["make", "--no-print-directory", "-C", app_dir, "O=" + build_dir]
    if mica_root:
        cmd.append("MICA_ROOT=" + mica_root)
    if libs:
        cmd.append("L=" + ":".join(libs))
    return cmd + list(args)


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def build(ctx, key, app_dir, defconfig=None, seed=None, plat=None,
          mica_root=None, libs=None, config_lines=None):
    """Configure (from a defconfig file, from a randconfig seed pinned to
    plat, or from config_lines written to a file) and build app_dir in
    build/tests/<key>. Returns an Image; raises Fail."""

    def do():
        d = fresh_dir(ctx.path(key))
        mk = lambda *a: make_cmd(ctx, app_dir, d, *a,  # noqa: E731
                                 mica_root=mica_root, libs=libs)
        cfg = defconfig
        if config_lines is not None:
            cfg = os.path.join(d, "test.defconfig")
            with open(cfg, "w") as f:
                f.write("".join(ln + "\n" for ln in config_lines))
        if cfg is not None:
            ctx.must(mk("defconfig", "C=" + cfg), CONFIG_TIMEOUT,
                     "make defconfig")
        elif seed is not None:
            ctx.must(mk("randconfig", "SEED=%d" % seed, "PLAT=" + plat),
                     CONFIG_TIMEOUT, "make randconfig")
        p = ctx.run(mk("-j%d" % ctx.make_jobs), BUILD_TIMEOUT)
        if p.timed_out or p.rc != 0:
            raise Fail("build of %s (%s) failed"
                       % (os.path.basename(app_dir), key), p)
        img = Image(os.path.basename(os.path.abspath(app_dir)), d,
                    read_config(os.path.join(d, ".config")))
        for f in (img.path, img.dbg):
            if not os.path.isfile(f):
                raise Fail("make succeeded but %s is missing" % f, p)
        img.log = p
        return img

    return ctx.memo.get(("build", key), do)


def app_build(ctx, app, config):
    """apps/<app> from its checked-in configs/<config>.defconfig, where
    config is "<plat>-<arch>" or just a platform (then x86_64)."""
    if "-" not in config:
        config += "-x86_64"
    app_dir = os.path.join(ctx.root, "apps", app)
    defconfig = os.path.join(app_dir, "configs", config + ".defconfig")
    if not os.path.isfile(defconfig):
        raise Fail("%s does not exist" % os.path.relpath(defconfig, ctx.root))
    return build(ctx, "app/%s/%s" % (app, config), app_dir,
                 defconfig=defconfig)


def boot(ctx, img, words=(), timeout=BOOT_TIMEOUT, qemu_args=(),
         machine=None, plat=None, run_args=()):
    """Boot (kvm, xen) or run (linuxu) img through scripts/mica-run with
    the command line words; plat boots it as another platform would
    (a xen image on plain QEMU: "kvm"), run_args are more mica-run
    options. Returns the Proc; its rc is the guest's status."""
    return ctx.run(mica_run_cmd(ctx, img, words, timeout, qemu_args,
                                machine, plat, run_args), timeout + 30)


def mica_run_cmd(ctx, img, words, timeout, qemu_args=(), machine=None,
                 plat=None, run_args=()):
    cmd = [os.path.join(ctx.root, "scripts", "mica-run"), "--plat",
           plat or img.plat, "--accel", ctx.accel, "--timeout", str(timeout)]
    if machine:
        cmd.append("--machine=" + machine)
    for a in qemu_args:
        cmd.append("--qemu-arg=" + a)
    return cmd + list(run_args) + [img.path] + list(words)


def boot_lines(ctx, img, words=(), timeout=BOOT_TIMEOUT, on_line=None,
               run_args=()):
    """boot(), reading the console as it comes, for tests that time the
    guest from the host. Returns (Proc, lines): lines are (time, text),
    time being time.monotonic() when the line arrived. on_line(time,
    text, pid), if given, is called as each line arrives; pid is
    mica-run's, whose descendants run the guest."""
    cmd = mica_run_cmd(ctx, img, words, timeout, run_args=run_args)
    limit = timeout + 30
    lines, err = [], []

    def read_out(f, pid):
        part = b""
        while True:
            chunk = os.read(f.fileno(), 65536)
            now = time.monotonic()
            if not chunk:
                break
            part += chunk
            while b"\n" in part:
                ln, part = part.split(b"\n", 1)
                text = ln.decode("utf-8", "replace").rstrip("\r")
                lines.append((now, text))
                if on_line:
                    on_line(now, text, pid)
        if part:
            lines.append((time.monotonic(),
                          part.decode("utf-8", "replace").rstrip("\r")))

    ctx.slots.acquire(ctx.prio())
    try:
        if ctx.stopping:
            raise Fail("the run is stopping")
        ctx.note("$ " + shlex.join(cmd))
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, env=ctx.env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True)
        with ctx.live_lock:
            ctx.live.add(p)
            if ctx.stopping:
                ctx.kill(p)
        readers = [threading.Thread(target=read_out, args=(p.stdout, p.pid),
                                    daemon=True),
                   threading.Thread(target=lambda: err.append(
                       p.stderr.read()), daemon=True)]
        for r in readers:
            r.start()
        timed_out = False
        try:
            p.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            timed_out = True
            ctx.kill(p)
            p.wait()
        finally:
            with ctx.live_lock:
                ctx.live.discard(p)
        for r in readers:
            r.join(10)
        secs = time.monotonic() - t0
    finally:
        ctx.slots.release()
    proc = Proc(cmd, None, p.returncode,
                "".join(t + "\n" for _, t in lines),
                b"".join(err).decode("utf-8", "replace"), timed_out, secs,
                limit)
    t = ctx.current()
    if t is not None:
        t.procs.append(proc)
    return proc, list(lines)


def nm_symbols(ctx, path):
    """Defined symbol names of an ELF file (nm)."""
    p = ctx.must(["nm", "--defined-only", path], 60, "nm", slot=False)
    syms = set()
    for ln in p.out.splitlines():
        parts = ln.split()
        if len(parts) >= 3:
            syms.add(parts[2])
    return syms
