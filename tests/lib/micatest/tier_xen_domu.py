# SPDX-License-Identifier: BSD-3-Clause
"""Xen domUs created by the real toolstack (docs/xen-domu.md): one QEMU
boots Xen 4.17 with a Linux dom0 (scripts/xen-domu-env: Debian packages,
built once and cached), whose init runs xl, xenstored and xenconsoled and
then a plan that this tier writes: each domU is created with "xl create",
dom0 waits for its console lines, writes and reads its xenstore keys, and
reports how it shut down. Every check below reads the one session.

- xen-domu/trivial/...: tests/xen/trivial-domu.c, a PVH guest of a few
  hundred lines; it proves the tier itself (console ring, debug port,
  xenstore both ways, a watch, poweroff).
- xen-domu/mica/...: Mica images: helloworld (greeting and argv through
  the console ring, exit status) and tests/fixtures/xen-domu-app (name
  and domid from xenstore, a key dom0 reads back, a watch dom0 fires, its
  exit status). Skipped, saying why, in a tree without the xen platform
  (plat/xen) or its xenstore client (drivers/xen/xenbus); where they are,
  an image that does not build fails its checks.

A check that cannot run because the session itself failed (no dom0
environment, a dom0 that did not come up) is skipped with a pointer to
xen-domu/dom0-toolstack-up, which fails with the reason.
"""

import os
import re
import shlex

from .core import Fail, Test
from .mica import app_build, build

ENV_BUILD_TIMEOUT = 1500    # debootstrap and friends, first run only
STEP_TIMEOUT = 60           # each wait inside the dom0
# The whole QEMU run (25-45 s here) may take, before QEMU is killed: the
# boot to the plan and the end after it, then each plan step's timeout
# and the rest of the step (an xl command, the domain's report). Then no
# step can time out in the dom0 so late that its report is lost.
BOOT_BUDGET = 180
STEP_BUDGET = 10
DOM0_TIMEOUT = 60           # the dom0's own: xl create's, a wait's default
# Where a plan helper's timeout is among its words (scripts/xen-domu-init).
TIMEOUT_WORD = {"expect": 3, "xs_wait": 3, "wait_end": 2}
STATUS_LINE = re.compile(r"^mica: halted with exit status (\d+)$")
MARK = "@@mica-xen "
MARK_LINE = re.compile(r"^(?P<ev>\S+) (?P<name>\S+)"
                       r"(?P<kv>(?: [\w-]+=\S*)*)(?: \|(?: (?P<text>.*))?)?$")
PING = "data/mica-test/ping"
NOT_YET = "plat/xen domU support not built yet"
# What each Mica image needs in the tree (else its checks are skipped).
MICA_NEEDS = {"hello": ("plat/xen/Kconfig", "config PLAT_XEN"),
              "suite": ("plat/xen/Kconfig", "config PLAT_XEN"),
              "xsapp": ("drivers/xen/xenbus/Kconfig", "config XEN_XENBUS")}
DOM0_TEST = "xen-domu/dom0-toolstack-up"
# The report's events about one domU (scripts/xen-domu-init).
DOMAIN_EVENTS = ("created", "create-failed", "expect", "xs-read", "xs-write",
                 "xs-wait", "end", "console", "debugport", "xl")
XSAPP_STATUS = 7
# The in-image suites as a domU: threads, timer, event channels, grant
# tables, and some 400 lines through the console ring.
SUITE_CONFIG = "xen-x86_64-preempt"
SUITE_MEMORY_MB = 64        # 1,000 threads at once (sched_thread)
SUITE_TIMEOUT = 240
SUITE_SUMMARY = re.compile(r"^# mica-test: (\d+) passed, (\d+) failed$")


class Skip(Exception):
    """What this check needs is not there yet: a reason, not a failure."""


def env_script(ctx):
    return os.path.join(ctx.root, "scripts", "xen-domu-env")


class Domain:
    """What the dom0 reported about one domU."""

    def __init__(self, name):
        self.name = name
        self.domid = None
        self.create_failed = None   # why: exited, timeout
        self.expects = {}       # text -> (status, source)
        self.xs = {}            # (event, path) -> (status, value)
        self.end = None         # poweroff, crash, timeout, ...
        self.lines = {"console": [], "debugport": [], "xl": []}

    def text(self, *sources):
        return [ln for s in sources or ("console", "debugport")
                for ln in self.lines[s]]

    def status(self):
        """The exit status the image printed last, from either console."""
        st = None
        for ln in self.text():
            m = STATUS_LINE.match(ln)
            if m:
                st = int(m.group(1))
        return st

    def describe(self):
        out = ["domU %s: domid %s, ended: %s" % (self.name, self.domid,
                                                 self.end or "-")]
        for src, lines in self.lines.items():
            if lines:
                out.append("%s:" % src)
                out += ["| " + ln for ln in lines[-30:]]
        return out


class Session:
    """The dom0's report (the @@mica-xen lines) of one QEMU run."""

    def __init__(self, proc, images, env):
        self.proc = proc
        self.images = images    # key -> Image, or its checks' Skip/Fail
        self.env = env          # the cached environment's directory
        self.ready = None       # dom0 uptime when its toolstack was up
        self.version = ""
        self.done = False
        self.errors = []
        self.garbled = []       # report lines cut by Xen's own output
        self.domains = {}
        for raw in proc.out.splitlines():
            i = raw.find(MARK)
            if i >= 0:
                self.take(raw[i + len(MARK):].rstrip("\r"))

    def take(self, line):
        """One report line; one that does not read (cut or mixed up by
        Xen's own output: a field missing or not a number, a domain's
        event without its name) goes to garbled."""
        m = MARK_LINE.match(line)
        try:
            if not m:
                raise ValueError("not a report line")
            kv = dict(w.split("=", 1) for w in m.group("kv").split())
            self.event(m.group("ev"), m.group("name"), kv,
                       m.group("text") or "")
        except (KeyError, ValueError):
            self.garbled.append(line)

    def event(self, ev, name, kv, text):
        if ev == "dom0-ready":
            self.ready = float(kv["secs"])
            self.version = text
            return
        if ev == "done":
            self.done = True
            return
        if ev == "error":
            self.errors.append(text)
            return
        if ev not in DOMAIN_EVENTS:
            return              # run, out: for the reader of the log
        if name == "-":
            raise ValueError("a domain's event without the domain")
        d = self.domains.setdefault(name, Domain(name))
        if ev == "created":
            d.domid = int(kv["domid"])
        elif ev == "create-failed":
            d.create_failed = kv["reason"]
        elif ev == "expect":
            d.expects[text] = (kv["status"], kv.get("source"))
        elif ev in ("xs-read", "xs-write", "xs-wait"):
            d.xs[(ev, kv["path"])] = (kv.get("rc") or kv["status"], text)
        elif ev == "end":
            d.end = kv["reason"]
        else:
            d.lines[ev].append(text)

    def domain(self, name):
        """The named domU's report; Fail if dom0 never got that far."""
        if self.ready is None:
            raise Skip("the dom0 did not come up: see " + DOM0_TEST)
        d = self.domains.get(name)
        if d is None or (d.domid is None and not d.create_failed):
            raise Fail("the dom0 did not report on domU %s" % name,
                       self.proc, self.errors)
        if d.create_failed:
            why = [ln for ln in d.lines["xl"] if "error" in ln]
            if d.create_failed == "timeout":
                why.insert(0, "no domain after %d s, xl killed" % DOM0_TIMEOUT)
            raise Fail("xl create of domU %s failed%s" % (
                name, ": " + why[0] if why else ""), None, d.describe())
        return d


# --- what goes into the session -------------------------------------------

def environment(ctx):
    """The cached dom0 environment (built on first use, as root)."""
    def do():
        script = env_script(ctx)
        p = ctx.run([script, "path"], 30, slot=False)
        if p.rc == 0:
            return p.out.strip()
        if os.geteuid() != 0:
            raise Skip("the dom0 environment is not built, and building it "
                       "needs root: run 'sudo scripts/xen-domu-env build' "
                       "once")
        p = ctx.run([script, "build"], ENV_BUILD_TIMEOUT)
        if p.timed_out or p.rc != 0:
            why = [ln for ln in p.err.splitlines()
                   if ln.startswith("xen-domu-env:")]
            raise Fail("building the dom0 environment failed" +
                       (": " + why[-1] if why else ""), p)
        return p.out.strip().splitlines()[-1]
    return ctx.memo.get(("xen-domu", "env"), do)


def build_trivial(ctx, out):
    """tests/xen/trivial-domu.c -> a 32-bit PVH ELF, and its xl config."""
    src = os.path.join(ctx.root, "tests", "xen")
    obj = os.path.join(out, "trivial-domu.o")
    exe = os.path.join(out, "trivial-domu")
    ctx.must(["gcc", "-m32", "-ffreestanding", "-fno-pic",
              "-fno-stack-protector", "-mgeneral-regs-only",
              "-fno-asynchronous-unwind-tables", "-O2", "-Wall", "-Wextra",
              "-Werror", "-D__XEN_INTERFACE_VERSION__=0x00040e00",
              "-c", "-o", obj, os.path.join(src, "trivial-domu.c")],
             60, "compiling the trivial domU")
    ctx.must(["ld", "-m", "elf_i386", "-nostdlib", "-T",
              os.path.join(src, "trivial-domu.ld"), "--build-id=none",
              "--no-warn-rwx-segments", "-z", "max-page-size=4096",
              "-z", "noexecstack", "-o", exe, obj],
             60, "linking the trivial domU")
    with open(exe + ".xl", "w") as f:
        f.write('name = "trivial"\ntype = "pvh"\nkernel = "%s"\n'
                'memory = 16\nvcpus = 1\n' % exe)
    return exe


def mica_image(ctx, key):
    """A Mica xen image for the session, or the Skip (what it needs is not
    in the tree) or Fail (its build failed) its checks report."""
    path, symbol = MICA_NEEDS[key]
    try:
        with open(os.path.join(ctx.root, path)) as f:
            present = symbol in f.read()
    except OSError:
        present = False
    if not present:
        return Skip("%s: no '%s' in %s" % (NOT_YET, symbol, path))
    try:
        if key == "hello":
            img = app_build(ctx, "helloworld", "xen")
        elif key == "suite":
            img = app_build(ctx, "testsuite", SUITE_CONFIG)
        else:
            app = os.path.join(ctx.root, "tests", "fixtures",
                               "xen-domu-app")
            img = build(ctx, "xen-domu/xen-domu-app", app,
                        defconfig=os.path.join(app, "configs",
                                               "xen-x86_64.defconfig"))
    except Fail as f:
        return f
    if not os.path.isfile(img.path + ".xl"):
        return Fail("the build wrote no %s.xl (the xl config of a domU)"
                    % os.path.basename(img.path), img.log)
    return img


class Plan:
    """The shell plan the dom0 runs (helpers: scripts/xen-domu-init)."""

    def __init__(self):
        self.lines = []
        self.files = []
        self.budget = BOOT_BUDGET   # the seconds QEMU may take

    def __call__(self, *words):
        self.lines.append(" ".join(shlex.quote(str(w)) for w in words))
        self.budget += self.limit(words) + STEP_BUDGET

    @staticmethod
    def limit(words):
        """How long the dom0 may wait in the step (its timeout)."""
        if words[0] == "create":
            return DOM0_TIMEOUT
        i = TIMEOUT_WORD.get(words[0])
        if i is None:
            return 0
        return int(words[i]) if i < len(words) else DOM0_TIMEOUT

    def create(self, name, image, xl, *settings):
        # Files of the same name would overwrite each other in the flat
        # /mica/files (xen-domu-env run refuses them); one image may serve
        # several domains.
        self.files += [f for f in (image, xl) if f not in self.files]
        self("create", name, "/mica/files/" + os.path.basename(xl),
             'kernel="/mica/files/%s"' % os.path.basename(image), *settings)


def write_plan(plan, images, trivial):
    T = STEP_TIMEOUT
    # The trivial domU: the tier's own proof.
    plan.create("trivial", trivial, trivial + ".xl")
    plan("xs_wait", "trivial", "data/mica-test/trivial", T)
    plan("expect", "trivial", "trivial-domu: waiting for " + PING, T)
    plan("xs_write", "trivial", PING, "hello-trivial")
    plan("wait_end", "trivial", T)
    plan("xs_read", "trivial", "data/mica-test/pong")
    plan("destroy", "trivial")
    # helloworld: greeting, argv from xl's extra=, status 0.
    img = images["hello"]
    if not isinstance(img, Exception):
        plan.create("hello", img.path, img.path + ".xl",
                    'extra="-- from dom0"')
        plan("expect", "hello", "Hello from Mica!", T)
        plan("wait_end", "hello", T)
        plan("destroy", "hello")
    # xen-domu-app: xenstore both ways, a watch, status 7.
    img = images["xsapp"]
    if not isinstance(img, Exception):
        plan.create("xsapp", img.path, img.path + ".xl")
        plan("xs_wait", "xsapp", "data/mica-test/ready", T)
        plan("xs_read", "xsapp", "data/mica-test/hello")
        plan("xs_write", "xsapp", PING, "hello-mica")
        plan("expect", "xsapp", "xen-domu-app: done", T)
        plan("xs_read", "xsapp", "data/mica-test/pong")
        plan("wait_end", "xsapp", T)
        plan("destroy", "xsapp")
    # The testsuite: every in-image suite, as a domU.
    img = images["suite"]
    if not isinstance(img, Exception):
        plan.create("suite", img.path, img.path + ".xl",
                    "memory=%d" % SUITE_MEMORY_MB)
        plan("expect", "suite", "# mica-test: ", SUITE_TIMEOUT)
        plan("wait_end", "suite", T)
        plan("destroy", "suite")


def session(ctx):
    """The one QEMU run every check reads (its first user starts it)."""
    def do():
        env = environment(ctx)
        out = ctx.path("xen-domu")
        os.makedirs(out, exist_ok=True)
        trivial = build_trivial(ctx, out)
        images = {k: mica_image(ctx, k) for k in ("hello", "xsapp", "suite")}
        plan = Plan()
        write_plan(plan, images, trivial)
        path = os.path.join(out, "plan")
        with open(path, "w") as f:
            f.write("".join(ln + "\n" for ln in plan.lines))
        p = ctx.run([env_script(ctx), "run", "--timeout", plan.budget,
                     "--plan", path] + plan.files, plan.budget + 60)
        s = Session(p, images, env)
        if not s.done:
            why = [ln for ln in p.err.splitlines()
                   if ln.startswith("xen-domu-env:")]
            s.errors.append("the dom0 did not finish its plan (%s)" % (
                "QEMU killed after %d s" % plan.budget if p.rc == 124
                else why[-1] if why else "QEMU status %s" % p.rc))
        ctx.summaries.append(lambda: summary(s))
        return s
    return ctx.memo.get(("xen-domu", "session"), do)


def summary(s):
    ready = "%.0f s" % s.ready if s.ready is not None else "never"
    built = ""
    try:
        with open(os.path.join(s.env, "manifest")) as f:
            built = f.readline().strip()
    except OSError:
        pass
    return ["xen-domu: one QEMU run of %.0f s (Xen + Linux dom0, toolstack "
            "up after %s of dom0 uptime: %s); dom0 environment %s"
            % (s.proc.secs, ready, s.version or "no version",
               built or "(no manifest)")]


# --- the checks -------------------------------------------------------------

def check(fn):
    """A check of the session; Skip becomes an "ok ... # SKIP" result.
    Only the dom0 check reports why the session itself failed."""
    def t(ctx):
        name = ctx.current().name
        try:
            try:
                s = session(ctx)
            except Fail:
                if name == DOM0_TEST:
                    raise
                raise Skip("no dom0 session: see " + DOM0_TEST)
            fn(ctx, s)
        except Skip as e:
            ctx.result("%s # SKIP %s" % (name, e), True)
    return t


def t_dom0(ctx, s):
    garbled = ["unreadable report line: " + ln for ln in s.garbled]
    if s.ready is None:
        raise Fail("the dom0 did not come up (no dom0-ready report)",
                   s.proc, s.errors + garbled)
    if s.errors:
        raise Fail("the dom0 reported problems", s.proc,
                   s.errors + garbled)


def need(cond, msg, d, s):
    if not cond:
        raise Fail(msg, s.proc if d is None else None,
                   d.describe() if d else [])


def need_end(d, s, status):
    """A Mica domU's end: its status line, then a poweroff."""
    st = d.status()
    need(st == status, "exit status %s, expected %d (the line 'mica: "
         "halted with exit status N')" % (st, status), d, s)
    need(d.end == "poweroff", "it ended with %s, not poweroff" % d.end, d, s)


def t_trivial_console(ctx, s):
    d = s.domain("trivial")
    for src in ("console", "debugport"):
        need("trivial-domu: hello" in d.text(src),
             "no 'trivial-domu: hello' in its %s output" % src, d, s)


def t_trivial_xenstore(ctx, s):
    d = s.domain("trivial")
    want = "trivial-domu: name=trivial domid=%d" % d.domid
    need(want in d.text("console"), "no line '%s'" % want, d, s)
    got = d.xs.get(("xs-wait", "data/mica-test/trivial"))
    need(got == ("ok", "written by trivial"),
         "dom0 did not read 'written by trivial' back (got %r)" % (got,),
         d, s)


def t_trivial_watch(ctx, s):
    d = s.domain("trivial")
    want = "trivial-domu: watch fired: %s=hello-trivial" % PING
    need(want in d.text("console"), "no line '%s'" % want, d, s)
    got = d.xs.get(("xs-read", "data/mica-test/pong"))
    need(got == ("0", "pong hello-trivial"),
         "dom0 read %r from data/mica-test/pong, not 'pong hello-trivial'"
         % (got,), d, s)


def t_trivial_shutdown(ctx, s):
    d = s.domain("trivial")
    need(d.end == "poweroff", "it ended with %s, not poweroff" % d.end, d, s)
    need("trivial-domu: done" in d.text("console"),
         "no 'trivial-domu: done' before the poweroff", d, s)


def mica_domain(s, key, name):
    """The Mica domU's report; its image's Skip or build Fail if none."""
    img = s.images[key]
    if isinstance(img, Exception):
        raise img
    return s.domain(name)


def t_hello_greeting(ctx, s):
    d = mica_domain(s, "hello", "hello")
    if "Hello from Mica!" not in d.text("console"):
        if "Hello from Mica!" in d.text("debugport"):
            raise Fail("the greeting came through port 0xe9 only, not "
                       "through the console ring (plat/xen found no "
                       "ring?)", None, d.describe())
        raise Fail("no 'Hello from Mica!' on its console", None,
                   d.describe())
    ls = d.text("console")
    args = [ln for ln in ls[ls.index("Hello from Mica!") + 1:]
            if ln.startswith("argv[")]
    need(args == ["argv[0]: helloworld", "argv[1]: from",
                  "argv[2]: dom0"],
         "expected argv[0] helloworld, argv[1] 'from', argv[2] 'dom0' "
         "(xl's extra=\"-- from dom0\"), got %r" % args, d, s)


def t_hello_status(ctx, s):
    d = mica_domain(s, "hello", "hello")
    need_end(d, s, 0)


def t_xsapp_name(ctx, s):
    d = mica_domain(s, "xsapp", "xsapp")
    want = "xen-domu-app: name=xsapp domid=%d" % d.domid
    need(want in d.text(), "no line '%s'" % want, d, s)


def t_xsapp_write(ctx, s):
    d = mica_domain(s, "xsapp", "xsapp")
    got = d.xs.get(("xs-read", "data/mica-test/hello"))
    need(got == ("0", "hello from xsapp"),
         "dom0 read %r from data/mica-test/hello, not 'hello from xsapp'"
         % (got,), d, s)


def t_xsapp_watch(ctx, s):
    d = mica_domain(s, "xsapp", "xsapp")
    want = "xen-domu-app: watch fired: %s=hello-mica" % PING
    need(want in d.text(), "no line '%s'" % want, d, s)
    got = d.xs.get(("xs-read", "data/mica-test/pong"))
    need(got == ("0", "pong hello-mica"),
         "dom0 read %r from data/mica-test/pong, not 'pong hello-mica'"
         % (got,), d, s)


def t_xsapp_status(ctx, s):
    d = mica_domain(s, "xsapp", "xsapp")
    need_end(d, s, XSAPP_STATUS)


def t_suite(ctx, s):
    d = mica_domain(s, "suite", "suite")
    ls = d.text("console")
    sums = [m for m in map(SUITE_SUMMARY.match, ls) if m]
    failed = [ln.strip() for ln in ls if ln.lstrip().startswith("not ok")]
    need(sums, "no '# mica-test: N passed, M failed' line on its console "
         "ring", d, s)
    passed, nfail = int(sums[-1].group(1)), int(sums[-1].group(2))
    need(nfail == 0 and not failed, "%d case(s) failed: %s"
         % (nfail, "; ".join(failed[:5])), d, s)
    need(passed >= 100, "only %d cases passed" % passed, d, s)
    need_end(d, s, 0)
    ctx.result(ctx.current().name, True,
               ["%d cases passed in the domU (%s)" % (passed, SUITE_CONFIG)])


def tests(ctx):
    pre = "xen-domu/"
    return [Test(pre + name, check(fn)) for name, fn in (
        ("dom0-toolstack-up", t_dom0),
        ("trivial/console-ring-and-debug-port", t_trivial_console),
        ("trivial/xenstore-name-domid-and-write", t_trivial_xenstore),
        ("trivial/watch-fired-by-dom0-write", t_trivial_watch),
        ("trivial/shutdown-poweroff", t_trivial_shutdown),
        ("mica/helloworld-greeting-and-argv-console-ring", t_hello_greeting),
        ("mica/helloworld-exit-status-0", t_hello_status),
        ("mica/xenstore-name-and-domid", t_xsapp_name),
        ("mica/xenstore-key-read-back-by-dom0", t_xsapp_write),
        ("mica/watch-fired-by-dom0-write", t_xsapp_watch),
        ("mica/exit-status-7", t_xsapp_status),
        ("mica/testsuite-" + SUITE_CONFIG, t_suite),
    )]
