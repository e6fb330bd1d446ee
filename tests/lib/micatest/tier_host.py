# SPDX-License-Identifier: BSD-3-Clause
"""Tier 1: checks on the host. Formatting, host unit tests, the Kconfig
tooling, what the build puts in an image (and leaves out), out-of-tree
apps and libraries, reproducible images, the boot headers, menuconfig."""

import atexit
import difflib
import os
import re
import shutil
import tempfile
import time

from . import elf
from .core import Fail, Test
from .mica import (CONFIG_TIMEOUT, app_build, boot, build, fresh_dir,
                   make_cmd, nm_symbols, read_config)

FIX = os.path.join("tests", "fixtures")


def tree_files(ctx, *patterns):
    """Files of the tree as git sees them: tracked plus untracked files
    that are not ignored (new code counts before it is committed)."""
    p = ctx.must(["git", "-c", "safe.directory=*", "-C", ctx.root,
                  "ls-files", "-z", "--cached",
                  "--others", "--exclude-standard", "--"] + list(patterns),
                 60, "git ls-files", slot=False)
    files = sorted(set(f for f in p.out.split("\0") if f))
    return [f for f in files if os.path.isfile(os.path.join(ctx.root, f))]


def fixture(ctx, *parts):
    return os.path.join(ctx.root, FIX, *parts)


def helloworld(ctx):
    return os.path.join(ctx.root, "apps", "helloworld")


def meaningful_lines(text):
    """Output lines a user reads: without make's directory chatter and
    its "make: *** [file:line: target] Error 1" echo of a failed recipe."""
    out = []
    for ln in text.splitlines():
        if not ln.strip():
            continue
        if re.match(r"^make(\[\d+\])?: (Entering|Leaving) directory", ln):
            continue
        if re.match(r"^make(\[\d+\])?: \*\*\* \[.*\] Error \d+$", ln):
            continue
        out.append(ln)
    return out


# --- formatting and host unit tests --------------------------------------

def t_format(ctx):
    files = tree_files(ctx, "*.c", "*.h")
    if not files:
        raise Fail("git ls-files found no C sources")
    p = ctx.run(["clang-format", "--dry-run", "--Werror"] + files, 300,
                cwd=ctx.root)
    if p.timed_out or p.rc != 0:
        bad = sorted(set(m.group(1) for m in re.finditer(
            r"^(\S+?):\d+:\d+: (?:error|warning):", p.err, re.M)))
        if not bad:
            raise Fail("clang-format failed", p)
        # What clang-format would change, as a diff (the first lines).
        diff = []
        for f in bad[:5]:
            q = ctx.run(["clang-format", f], 60, cwd=ctx.root, slot=False)
            with open(os.path.join(ctx.root, f)) as fh:
                orig = fh.read()
            diff += difflib.unified_diff(orig.splitlines(),
                                         q.out.splitlines(), f,
                                         f + " (formatted)", n=0,
                                         lineterm="")
        raise Fail("%d of %d files are not clang-formatted (make format "
                   "fixes them): %s" % (len(bad), len(files), " ".join(bad)),
                   details=["$ clang-format --dry-run --Werror <the %d C "
                            "files git ls-files lists>" % len(files)] +
                   diff[:40] + (["..."] if len(diff) > 40 else []))


def t_host_unit(ctx):
    mk = os.path.join(ctx.root, "tests", "host", "Makefile")
    if not os.path.isfile(mk):
        ctx.result("host/unit-tests-missing", False,
                   ["tests/host/Makefile does not exist"])
        return
    d = fresh_dir(ctx.path("host-unit"))
    p = ctx.run(["make", "--no-print-directory", "-f", mk, "BUILD=" + d,
                 "-j%d" % ctx.make_jobs, "run"], 600, cwd=ctx.root)
    results = []
    for ln in p.out.splitlines():
        m = re.match(r"^(ok|not ok) - (\S+)", ln)
        if m:
            results.append([m.group(2), m.group(1) == "ok", []])
        elif results and ln.startswith("#"):
            results[-1][2].append(ln)
    for name, ok, details in results:
        ctx.result("host/unit/" + name, ok, details)
    failed = sum(1 for r in results if not r[1])
    if p.timed_out or (p.rc != 0 and not failed) or (p.rc == 0 and failed):
        raise Fail("make -f tests/host/Makefile run: exit status %s with "
                   "%d failed tests reported" % (p.rc, failed), p)
    if not results:
        raise Fail("tests/host/Makefile ran no tests", p)


# --- configuration tooling ------------------------------------------------

def config_dir(ctx, name):
    return fresh_dir(ctx.path("config", name))


def defconfig(ctx, d, path, app=None):
    return ctx.run(make_cmd(ctx, app or helloworld(ctx), d, "defconfig",
                            "C=" + path), CONFIG_TIMEOUT)


def t_unknown_symbol(ctx):
    d = config_dir(ctx, "unknown-symbol")
    f = fixture(ctx, "config", "unknown-symbol.defconfig")
    p = defconfig(ctx, d, f)
    if p.timed_out or p.rc != 0:
        raise Fail("make defconfig refused a file with an unknown symbol "
                   "(it must only warn)", p)
    want = re.compile(re.escape(f) + r":4:.*MICA_NO_SUCH_SYMBOL")
    if not any(want.search(ln) and "warning" in ln.lower()
               for ln in p.text.splitlines()):
        raise Fail("no warning naming %s:4 and MICA_NO_SUCH_SYMBOL"
                   % os.path.relpath(f, ctx.root), p)
    cfg = read_config(os.path.join(d, ".config"))
    if cfg.get("PLAT_LINUXU") != "y":
        raise Fail("the rest of the file was not applied "
                   "(CONFIG_PLAT_LINUXU=y missing from .config)", p)


def refused(name, value_re):
    def t(ctx):
        d = config_dir(ctx, name)
        f = fixture(ctx, "config", name + ".defconfig")
        p = defconfig(ctx, d, f)
        if p.timed_out or p.rc == 0:
            raise Fail("make defconfig accepted %s (%s)"
                       % (os.path.relpath(f, ctx.root), value_re), p,
                       ["resulting .config: " + ", ".join(
                           "%s=%s" % kv for kv in read_config(
                               os.path.join(d, ".config")).items()
                           if "LOG_LEVEL" in kv[0] or "TEST" in kv[0])]
                       if os.path.exists(os.path.join(d, ".config")) else [])
        lines = meaningful_lines(p.text)
        loc = re.compile(re.escape(f) + r":4\b")
        if not any(loc.search(ln) for ln in lines):
            raise Fail("refused, but no message names the file and line "
                       "(%s:4)" % os.path.relpath(f, ctx.root), p)
        if os.path.exists(os.path.join(d, ".config")):
            raise Fail("refused, but a .config was written anyway", p)
    return t


def roundtrip(ctx, name, first):
    """first(dir) writes dir/.config; then savedefconfig, defconfig of
    the result in another directory, and compare the two .config."""
    a = config_dir(ctx, name + "-a")
    b = config_dir(ctx, name + "-b")
    first(a)
    mini = os.path.join(a, "min.defconfig")
    ctx.must(make_cmd(ctx, helloworld(ctx), a, "savedefconfig", "C=" + mini),
             CONFIG_TIMEOUT, "make savedefconfig")
    p = defconfig(ctx, b, mini)
    if p.timed_out or p.rc != 0:
        raise Fail("make defconfig of the saved file failed", p)
    with open(os.path.join(a, ".config")) as f:
        ca = f.read()
    with open(os.path.join(b, ".config")) as f:
        cb = f.read()
    with open(mini) as f:
        m = f.read()
    if ca != cb:
        diff = list(difflib.unified_diff(ca.splitlines(), cb.splitlines(),
                                         "original/.config",
                                         "reloaded/.config", lineterm=""))
        raise Fail("the .config reloaded from the savedefconfig file "
                   "differs", details=diff[:40] + ["saved file:"] +
                   ["| " + x for x in m.splitlines()])
    set_lines = [ln for ln in ca.splitlines() if ln.startswith("CONFIG_")]
    mini_lines = [ln for ln in m.splitlines() if ln.startswith("CONFIG_")]
    if len(mini_lines) >= len(set_lines):
        raise Fail("savedefconfig did not write a minimal file (%d "
                   "assignments for a .config of %d)"
                   % (len(mini_lines), len(set_lines)),
                   details=["| " + x for x in m.splitlines()])
    return ca, m


def t_roundtrip_fixture(ctx):
    f = fixture(ctx, "config", "nontrivial.defconfig")

    def first(d):
        p = defconfig(ctx, d, f)
        if p.timed_out or p.rc != 0:
            raise Fail("make defconfig of %s failed"
                       % os.path.relpath(f, ctx.root), p)

    ca, m = roundtrip(ctx, "roundtrip", first)
    for want in ("CONFIG_OPTIMIZE_SIZE=y", "CONFIG_LOG_LEVEL=2",
                 "CONFIG_LIB_BOOT_LOG_LEVEL=4",
                 "# CONFIG_LIB_TEST_ALL is not set"):
        if want not in ca.splitlines():
            raise Fail("the fixture's '%s' did not reach .config" % want)


def t_roundtrip_random(ctx):
    def first(d):
        ctx.must(make_cmd(ctx, helloworld(ctx), d, "randconfig",
                          "SEED=4242", "PLAT=linuxu"), CONFIG_TIMEOUT,
                 "make randconfig")
    roundtrip(ctx, "roundtrip-random", first)


def t_no_config(ctx):
    d = config_dir(ctx, "no-config")
    p = ctx.run(make_cmd(ctx, helloworld(ctx), d, "-j%d" % ctx.make_jobs),
                300)
    if p.timed_out or p.rc != 0:
        raise Fail("make with no .config failed", p)
    if not re.search(r"no \.config.*configs/kvm-x86_64\.defconfig", p.text):
        raise Fail("no message saying the build starts from "
                   "configs/kvm-x86_64.defconfig", p)
    cfg = read_config(os.path.join(d, ".config"))
    img = os.path.join(d, "helloworld_%s-x86_64" % cfg.get("PLAT_NAME"))
    if cfg.get("PLAT_KVM") != "y" or not os.path.isfile(img):
        raise Fail("expected a kvm .config and image %s" % img, p)


def one_line_error(cmd_fn, must_name):
    def t(ctx):
        p = cmd_fn(ctx)
        if p.timed_out or p.rc == 0:
            raise Fail("expected a failure", p)
        lines = meaningful_lines(p.text)
        if len(lines) != 1 or must_name not in lines[0]:
            raise Fail("expected exactly one error line naming '%s', got "
                       "%d lines" % (must_name, len(lines)), p)
    return t


def run_missing_defconfig(ctx):
    return ctx.run(make_cmd(ctx, helloworld(ctx),
                            config_dir(ctx, "missing-defconfig"),
                            "defconfig", "C=nonexistent.defconfig"),
                   CONFIG_TIMEOUT)


def run_missing_app(ctx):
    return ctx.run(["make", "--no-print-directory", "-C",
                    "apps/nonexistent"], CONFIG_TIMEOUT, cwd=ctx.root)


def run_root_missing_app(ctx):
    return ctx.run(["make", "--no-print-directory", "run",
                    "APP=apps/nonexistent"], CONFIG_TIMEOUT, cwd=ctx.root)


def run_root_missing_plat(ctx):
    return ctx.run(["make", "--no-print-directory", "run",
                    "APP=apps/helloworld", "PLAT=nosuchplat"],
                   CONFIG_TIMEOUT, cwd=ctx.root)


# --- what the build links --------------------------------------------------

def oot_sources(ctx):
    """The out-of-tree fixtures, copied outside the repository so nothing
    can find them (or Mica) through relative paths."""
    def do():
        d = tempfile.mkdtemp(prefix="mica-oot-")
        atexit.register(shutil.rmtree, d, True)
        for x in ("oot-app", "oot-lib"):
            shutil.copytree(fixture(ctx, x), os.path.join(d, x))
        return d
    return ctx.memo.get("oot-sources", do)


def oot_build(ctx, plat):
    src = oot_sources(ctx)
    app = os.path.join(src, "oot-app")
    return build(ctx, "oot/app-" + plat, app,
                 defconfig=os.path.join(app, "configs",
                                        "%s-x86_64.defconfig" % plat),
                 mica_root=ctx.root, libs=[os.path.join(src, "oot-lib")])


def t_unselected_absent(ctx):
    img = app_build(ctx, "helloworld", "kvm")
    if "LIB_TEST" in img.config:
        raise Fail("helloworld's kvm defconfig selects LIB_TEST: this test "
                   "needs a library that is not selected")
    if os.path.exists(img.lib_object("test")):
        raise Fail("LIB_TEST is not selected but %s exists"
                   % img.lib_object("test"))
    syms = sorted(s for s in nm_symbols(ctx, img.dbg)
                  if s.startswith("mica_test_"))
    if syms:
        raise Fail("LIB_TEST is not selected but the image has its symbols",
                   details=syms[:20])


def t_unselected_oot_absent(ctx):
    img = build(ctx, "build/hello-oot-unselected", helloworld(ctx),
                defconfig=fixture(ctx, "config", "oot-unselected.defconfig"),
                libs=[fixture(ctx, "oot-lib")])
    if "LIB_OOT" in img.config:
        raise Fail("LIB_OOT is selected; the fixture says it must not be")
    if os.path.exists(img.lib_object("oot")):
        raise Fail("LIB_OOT is not selected but %s exists"
                   % img.lib_object("oot"))
    syms = sorted(s for s in nm_symbols(ctx, img.dbg)
                  if s.startswith("oot_"))
    if syms:
        raise Fail("LIB_OOT is not selected but the image has its symbols",
                   details=syms)


def t_selected_present(ctx):
    img = build(ctx, "build/hello-lib-test", helloworld(ctx),
                defconfig=fixture(ctx, "config", "with-lib-test.defconfig"))
    if img.config.get("LIB_TEST") != "y":
        raise Fail("the fixture did not select LIB_TEST")
    if not os.path.exists(img.lib_object("test")):
        raise Fail("LIB_TEST is selected but %s does not exist"
                   % img.lib_object("test"))
    syms = [s for s in nm_symbols(ctx, img.dbg) if s.startswith("mica_test_")]
    if not syms:
        raise Fail("LIB_TEST is selected but no mica_test_ symbol is in "
                   "the image: the absence check above proves nothing")


def t_malloc_needs_alloc(ctx):
    """An image that calls malloc without LIB_ALLOC fails at link time
    with a message naming the option (and builds once it is on)."""
    app = fixture(ctx, "malloc-app")
    d = fresh_dir(ctx.path("malloc-app"))
    cfg = os.path.join(app, "configs", "linuxu-x86_64.defconfig")
    ctx.must(make_cmd(ctx, app, d, "defconfig", "C=" + cfg), CONFIG_TIMEOUT,
             "make defconfig")
    p = ctx.run(make_cmd(ctx, app, d, "-j%d" % ctx.make_jobs), 300)
    if p.rc == 0:
        raise Fail("malloc without LIB_ALLOC linked", p)
    if "select_LIB_ALLOC_in_menuconfig" not in p.out + p.err:
        raise Fail("the link error does not name LIB_ALLOC", p)
    img = build(ctx, "malloc-app-alloc", app,
                config_lines=["CONFIG_PLAT_LINUXU=y", "CONFIG_LIB_ALLOC=y"])
    q = boot(ctx, img, [], timeout=30)
    if q.rc != 0 or "heap" not in q.out.splitlines():
        raise Fail("with LIB_ALLOC the app should run and print 'heap'", q)


def t_dce(ctx):
    img = oot_build(ctx, "linuxu")
    obj = img.lib_object("oot")
    if not os.path.exists(obj):
        raise Fail("%s does not exist" % obj)
    if "oot_unused_function" not in nm_symbols(ctx, obj):
        raise Fail("oot_unused_function is not even in the library's "
                   "object: the check would prove nothing")
    syms = nm_symbols(ctx, img.dbg)
    missing = [s for s in ("oot_greet", "oot_answer", "main")
               if s not in syms]
    if missing:
        raise Fail("functions the app calls are missing from the image: "
                   + " ".join(missing))
    if "oot_unused_function" in syms:
        raise Fail("oot_unused_function, which nothing calls, is in the "
                   "image (dead-code elimination does not work)")


def t_oot_run(plat):
    def t(ctx):
        img = oot_build(ctx, plat)
        p = boot(ctx, img, ["--", "tester"], timeout=30)
        if p.timed_out or p.rc != 0:
            raise Fail("the out-of-tree app did not exit with status 0", p)
        want = ["oot-lib: init ran", "oot-lib: hello, tester",
                "oot-app: answer 42"]
        got = [ln.rstrip("\r") for ln in p.out.splitlines()]
        got = [ln for ln in got if ln in want]
        if got != want:
            raise Fail("expected the lines %r in this order" % want, p)
    return t


# --- reproducible images ---------------------------------------------------

def compare_images(a, b):
    diffs = []
    for x, y in ((a.path, b.path), (a.dbg, b.dbg)):
        with open(x, "rb") as f:
            dx = f.read()
        with open(y, "rb") as f:
            dy = f.read()
        if dx != dy:
            first = next((i for i in range(min(len(dx), len(dy)))
                          if dx[i] != dy[i]), min(len(dx), len(dy)))
            diffs.append("%s and %s differ (%d and %d bytes, first "
                         "difference at offset %d)"
                         % (x, y, len(dx), len(dy), first))
    if diffs:
        raise Fail("the images are not byte-identical", details=diffs)


def t_repro_dirs(ctx):
    a = app_build(ctx, "helloworld", "kvm")
    b = build(ctx, "repro/helloworld-kvm-again", helloworld(ctx),
              defconfig=os.path.join(helloworld(ctx), "configs",
                                     "kvm-x86_64.defconfig"))
    compare_images(a, b)


def t_repro_tree(ctx):
    a = app_build(ctx, "helloworld", "kvm")
    copy = fresh_dir(ctx.path("repro", "elsewhere", "a-longer-path", "mica"))
    for f in tree_files(ctx):
        if f.startswith("build/"):
            continue
        dst = os.path.join(copy, f)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(os.path.join(ctx.root, f), dst, follow_symlinks=False)
    app = os.path.join(copy, "apps", "helloworld")
    try:
        c = build(ctx, "repro/helloworld-kvm-copy", app,
                  defconfig=os.path.join(app, "configs",
                                         "kvm-x86_64.defconfig"))
        compare_images(a, c)
    finally:
        shutil.rmtree(copy, ignore_errors=True)


# --- boot headers -----------------------------------------------------------

def t_multiboot(ctx):
    img = app_build(ctx, "helloworld", "kvm")
    with open(img.path, "rb") as f:
        data = f.read()
    hdrs = elf.multiboot_headers(data)
    if len(hdrs) != 1:
        raise Fail("expected one Multiboot 1 header (magic 0x1BADB002 "
                   "with a valid checksum) in the first 8 KiB of %s, found "
                   "%d at %s" % (img.path, len(hdrs), [h[0] for h in hdrs]))
    off, flags, fields = hdrs[0]
    if off % 4 or not 8144 <= off <= 8180:
        raise Fail("the Multiboot header is at file offset %d: it must be "
                   "4-byte aligned and within [8144, 8180] (inside the "
                   "8 KiB loaders search, past what QEMU's -kernel "
                   "searches)" % off)
    if fields:
        header_addr, load_addr, load_end, bss_end, entry = fields
        paddr = elf.file_offset_to_paddr(data, off)
        if paddr != header_addr:
            raise Fail("Multiboot header_addr 0x%x, but the ELF loads the "
                       "header at 0x%s" % (header_addr, "%x" % paddr
                                           if paddr is not None else "?"))
        syms = nm_symbols(ctx, img.dbg)
        if "mica_multiboot_entry" in syms:
            p = ctx.must(["nm", img.dbg], 60, "nm", slot=False)
            addr = [int(ln.split()[0], 16) for ln in p.out.splitlines()
                    if ln.endswith(" mica_multiboot_entry")]
            if addr and addr[0] != entry:
                raise Fail("Multiboot entry_addr 0x%x is not "
                           "mica_multiboot_entry (0x%x)" % (entry, addr[0]))
        if not load_addr <= header_addr < load_end <= bss_end or \
                not load_addr <= entry < load_end:
            raise Fail("inconsistent Multiboot addresses: header 0x%x load "
                       "0x%x-0x%x bss end 0x%x entry 0x%x" % fields)


def t_pvh_note(plat):
    def t(ctx):
        check_pvh_note(ctx, app_build(ctx, "helloworld", plat))
    return t


def check_pvh_note(ctx, img):
    with open(img.path, "rb") as f:
        data = f.read()
    notes = elf.notes(data)
    pvh = [d for name, t, d in notes if name == "Xen" and t == 18]
    if len(pvh) != 1:
        p = ctx.run(["readelf", "-n", img.path], 60, slot=False)
        raise Fail("expected one Xen note of type 18 (PHYS32_ENTRY), "
                   "found %d" % len(pvh), p)
    d = pvh[0]
    if len(d) not in (4, 8):
        raise Fail("the PVH note's descriptor is %d bytes" % len(d))
    addr = int.from_bytes(d, "little")
    segs = [s for s in elf.segments(data)
            if s.type == elf.PT_LOAD and s.flags & elf.PF_X and
            s.paddr <= addr < s.paddr + s.memsz]
    if not segs:
        raise Fail("the PVH entry 0x%x is not in an executable segment"
                   % addr)


def t_xen_image(ctx):
    """What Xen needs in a xen image besides the PVH note: Xen's
    GUEST_OS note, and a hypercall page that is page aligned and
    executable (Xen fills it, the guest calls into it) but takes no room
    in the file: inside the text segment, past its file size."""
    img = app_build(ctx, "helloworld", "xen")
    with open(img.path, "rb") as f:
        data = f.read()
    if ("Xen", 6, b"Mica\0") not in elf.notes(data):
        raise Fail("no Xen GUEST_OS note (type 6) saying 'Mica'")
    p = ctx.must(["nm", img.dbg], 60, "nm", slot=False)
    addr = [int(ln.split()[0], 16) for ln in p.out.splitlines()
            if ln.endswith(" mica_xen_hypercall_page")]
    if not addr:
        raise Fail("no symbol mica_xen_hypercall_page in %s" % img.dbg)
    a = addr[0]
    segs = [s for s in elf.segments(data) if s.type == elf.PT_LOAD and
            s.vaddr <= a < s.vaddr + s.memsz]
    problems = []
    if a % 4096:
        problems.append("it is not page aligned")
    if len(segs) != 1 or not segs[0].flags & elf.PF_X:
        problems.append("it is not in an executable PT_LOAD segment")
    elif not (segs[0].vaddr + segs[0].filesz <= a and
              a + 4096 <= segs[0].vaddr + segs[0].memsz):
        problems.append("it is not in the segment's zero-filled tail "
                        "(it takes room in the file)")
    if problems:
        raise Fail("the hypercall page at 0x%x: %s" % (a, "; ".join(problems)))


def t_xen_xl_config(ctx):
    """The build writes IMAGE.xl, a ready xl configuration for a PVH
    domU that names the image by its absolute path."""
    img = app_build(ctx, "helloworld", "xen")
    path = img.path + ".xl"
    if not os.path.isfile(path):
        raise Fail("%s was not written" % path)
    cfg = {}
    with open(path) as f:
        for ln in f:
            m = re.match(r'^\s*(\w+)\s*=\s*"?([^"\n]*)"?\s*$', ln)
            if m:
                cfg[m.group(1)] = m.group(2)
    want = {"name": "helloworld", "type": "pvh", "kernel": img.path,
            "memory": "16", "vcpus": "1", "on_crash": "destroy",
            "extra": ""}
    wrong = ["%s = %r, expected %r" % (k, cfg.get(k), v)
             for k, v in want.items() if cfg.get(k) != v]
    if wrong:
        raise Fail("%s is not the expected xl config" % path,
                   details=wrong)


def t_xen_headers_missing(ctx):
    """Without Xen's public headers a xen build stops at once with an
    error that says how to get them."""
    d = config_dir(ctx, "xen-no-headers")
    ctx.must(make_cmd(ctx, helloworld(ctx), d, "defconfig", "C=" +
                      os.path.join(helloworld(ctx), "configs",
                                   "xen-x86_64.defconfig")),
             CONFIG_TIMEOUT, "make defconfig")
    p = ctx.run(make_cmd(ctx, helloworld(ctx), d,
                         "MICA_XEN_INCLUDE=/nonexistent/xen"), CONFIG_TIMEOUT)
    if p.timed_out or p.rc == 0:
        raise Fail("the build went ahead without the headers", p)
    errs = [ln for ln in meaningful_lines(p.text) if "***" in ln]
    if len(errs) != 1 or "libxen-dev" not in errs[0] or \
            "/nonexistent/xen/xen.h" not in errs[0]:
        raise Fail("expected one error naming /nonexistent/xen/xen.h and "
                   "libxen-dev", p)
    if any(ln.lstrip().startswith("CC ") for ln in p.text.splitlines()):
        raise Fail("it compiled something before stopping", p)


def t_multiboot_grub(ctx):
    """A real Multiboot loader boots the same kvm image: GRUB (from
    Debian's grub-pc-bin) on a rescue ISO, under QEMU's default BIOS."""
    img = app_build(ctx, "helloworld", "kvm")
    d = fresh_dir(ctx.path("grub"))
    iso_root = os.path.join(d, "iso")
    os.makedirs(os.path.join(iso_root, "boot", "grub"))
    shutil.copy(img.path, os.path.join(iso_root, "boot", "mica.elf"))
    with open(os.path.join(iso_root, "boot", "grub", "grub.cfg"), "w") as f:
        f.write("set timeout=0\n"
                "serial --unit=0 --speed=115200\n"
                "terminal_output serial\n"
                "menuentry mica {\n"
                "  multiboot /boot/mica.elf -- from grub \"two words\"\n"
                "  boot\n"
                "}\n")
    iso = os.path.join(d, "mica.iso")
    ctx.must(["grub-mkrescue", "-o", iso, iso_root], 120, "grub-mkrescue")
    p = ctx.run(["qemu-system-x86_64", "-M", "pc", "-accel", "tcg",
                 "-cpu", "max", "-m", "64M", "-nodefaults",
                 "-no-user-config", "-display", "none", "-serial", "stdio",
                 "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                 "-no-reboot", "-cdrom", iso], 120)
    lines = [ln.rstrip("\r") for ln in p.out.splitlines()]
    if p.timed_out or p.rc != 1:
        raise Fail("GRUB boot: QEMU status %s, expected 1 (guest status 0 "
                   "through isa-debug-exit)" % p.rc, p)
    want = ["Hello from Mica!", "argv[0]: helloworld", "argv[1]: from",
            "argv[2]: grub", "argv[3]: two words"]
    got = [ln for ln in lines if ln.startswith(("Hello", "argv["))]
    if got != want:
        raise Fail("GRUB boot: expected %r" % want, p, ["got: %r" % got])


def t_fuzz(ctx):
    """Every libFuzzer harness (tests/fuzz/Makefile) builds and runs a
    few seconds from its corpus without a finding."""
    mk = os.path.join(ctx.root, "tests", "fuzz", "Makefile")
    d = fresh_dir(ctx.path("fuzz"))
    p = ctx.run(["make", "--no-print-directory", "-f", mk, "BUILD=" + d,
                 "FUZZ_TIME=5", "check"], 900, cwd=ctx.root)
    results = [(m.group(2), m.group(1) == "ok") for m in re.finditer(
        r"^(ok|not ok) - (\S+)", p.out, re.M)]
    for name, ok in results:
        ctx.result("host/fuzz/" + name, ok,
                   [] if ok else p.out.splitlines()[-20:])
    if not results or p.timed_out or (p.rc != 0) != any(
            not ok for _, ok in results):
        raise Fail("make -f tests/fuzz/Makefile check: status %s" % p.rc, p)


# --- menuconfig ------------------------------------------------------------

class Tmux:
    def __init__(self, ctx, name):
        self.ctx = ctx
        self.sock = "mica-tests-%d-%s" % (os.getpid(), name)
        self.env = {"TERM": ctx.env.get("TERM") or "xterm"}

    def cmd(self, *args, timeout=10):
        return self.ctx.run(["tmux", "-L", self.sock] + list(args), timeout,
                            env=self.env, slot=False)

    def screen(self):
        p = self.cmd("capture-pane", "-p", "-t", "t")
        return p.out if p.rc == 0 else ""

    def wait(self, pred, what, timeout=20):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            s = self.screen()
            if pred(s):
                return s
            time.sleep(0.2)
        raise Fail("menuconfig: timed out waiting for %s" % what,
                   details=["screen:"] + ["| " + x for x in
                                          self.screen().rstrip().split("\n")])

    def kill(self):
        self.cmd("kill-server")


def t_menuconfig(ctx):
    d = config_dir(ctx, "menuconfig")
    p = defconfig(ctx, d, os.path.join(helloworld(ctx), "configs",
                                       "linuxu-x86_64.defconfig"))
    if p.rc != 0:
        raise Fail("make defconfig failed", p)
    status = os.path.join(d, "menuconfig.status")
    inner = "%s; echo $? > %s" % (" ".join(
        make_cmd(ctx, helloworld(ctx), d, "menuconfig")), status)
    tm = Tmux(ctx, "menuconfig")
    try:
        p = tm.cmd("new-session", "-d", "-s", "t", "-x", "120", "-y", "40",
                   inner)
        if p.rc != 0:
            raise Fail("tmux could not start", p)
        tm.wait(lambda s: "Mica configuration: helloworld" in s and
                re.search(r"Platform\s+--->", s),
                "the main menu (title and 'Platform --->')")
        tm.cmd("send-keys", "-t", "t", "/")
        tm.wait(lambda s: "Jump to" in s, "the jump-to dialog")
        tm.cmd("send-keys", "-t", "t", "-l", "OPTIMIZE_LTO")
        tm.wait(lambda s: "OPTIMIZE_LTO(=n)" in s, "the search result")
        tm.cmd("send-keys", "-t", "t", "Enter")
        tm.wait(lambda s: "[ ] Link-time optimisation" in s,
                "the Build options menu")
        tm.cmd("send-keys", "-t", "t", "y")
        tm.wait(lambda s: "[*] Link-time optimisation" in s,
                "LTO to be switched on")
        tm.cmd("send-keys", "-t", "t", "Q")
        tm.wait(lambda s: "Save configuration?" in s, "the save dialog")
        tm.cmd("send-keys", "-t", "t", "y")
        end = time.monotonic() + 20
        while not os.path.exists(status) and time.monotonic() < end:
            time.sleep(0.2)
        if not os.path.exists(status):
            tm.wait(lambda s: False, "menuconfig to exit", timeout=1)
    finally:
        tm.kill()
    with open(status) as f:
        rc = f.read().strip()
    if rc != "0":
        raise Fail("make menuconfig exited with status %s" % rc)
    if read_config(os.path.join(d, ".config")).get("OPTIMIZE_LTO") != "y":
        raise Fail("menuconfig did not save CONFIG_OPTIMIZE_LTO=y")


def tests():
    return [
        Test("host/format", t_format),
        Test("host/unit", t_host_unit, dynamic=True),
        Test("host/config/unknown-symbol-warns", t_unknown_symbol),
        Test("host/config/bad-int-refused", refused("bad-value", "banana")),
        Test("host/config/out-of-range-refused",
             refused("out-of-range", "LOG_LEVEL=9, range 0..4")),
        Test("host/config/bad-bool-refused", refused("bad-bool", "maybe")),
        Test("host/config/savedefconfig-roundtrip", t_roundtrip_fixture),
        Test("host/config/savedefconfig-roundtrip-randconfig",
             t_roundtrip_random),
        Test("host/config/missing-defconfig",
             one_line_error(run_missing_defconfig, "nonexistent.defconfig")),
        Test("host/config/missing-app-dir",
             one_line_error(run_missing_app, "apps/nonexistent")),
        Test("host/config/root-run-missing-app",
             one_line_error(run_root_missing_app, "apps/nonexistent")),
        Test("host/config/root-run-missing-defconfig",
             one_line_error(run_root_missing_plat,
                            "nosuchplat-x86_64.defconfig")),
        Test("host/menuconfig", t_menuconfig),
        Test("host/config/no-config-uses-default", t_no_config),
        Test("host/build/unselected-lib-absent", t_unselected_absent),
        Test("host/build/unselected-oot-lib-absent", t_unselected_oot_absent),
        Test("host/build/selected-lib-present", t_selected_present),
        Test("host/build/dead-code-removed", t_dce),
        Test("host/build/malloc-without-alloc-names-it",
             t_malloc_needs_alloc),
        Test("host/oot/linuxu", t_oot_run("linuxu")),
        Test("host/oot/kvm", t_oot_run("kvm")),
        Test("host/boot/multiboot-header", t_multiboot),
        Test("host/boot/pvh-note", t_pvh_note("kvm")),
        Test("host/boot/pvh-note-xen", t_pvh_note("xen")),
        Test("host/boot/xen-notes-and-hypercall-page", t_xen_image),
        Test("host/build/xen-xl-config", t_xen_xl_config),
        Test("host/build/xen-headers-missing", t_xen_headers_missing),
        Test("host/boot/multiboot-grub", t_multiboot_grub),
        Test("host/fuzz", t_fuzz, dynamic=True),
        Test("host/reproducible/two-build-dirs", t_repro_dirs),
        Test("host/reproducible/tree-copy", t_repro_tree),
    ]

