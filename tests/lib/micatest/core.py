# SPDX-License-Identifier: BSD-3-Clause
"""The runner's core: commands with time limits, job slots, shared work,
test results and their ordered output.

A test is a function of a Context. It passes by returning, fails by
raising Fail (or any exception, which is reported with its traceback),
and may report extra results of its own (one per KTAP case, one per host
unit test) with Context.result(). Tests run in threads; the expensive
part, a subprocess, runs only while holding one of the -j job slots, so
a test waiting for a shared build never holds a slot and nothing
deadlocks. Results are printed in the order the tests were declared,
each as soon as it and everything before it is done.
"""

import heapq
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
import traceback

TAIL_LINES = 30


class Fail(Exception):
    """A test's failure: a one-line reason plus details to show."""

    def __init__(self, msg, proc=None, details=None):
        super().__init__(msg)
        self.msg = msg
        self.proc = proc
        self.details = list(details or [])

    def lines(self, full=False):
        out = [self.msg]
        out += self.details
        if self.proc is not None:
            out += self.proc.describe(full=full)
        return out


class Proc:
    """A finished command: status, output, whether it was killed."""

    def __init__(self, cmd, cwd, rc, out, err, timed_out, secs, timeout):
        self.cmd = cmd
        self.cwd = cwd
        self.rc = rc
        self.out = out
        self.err = err
        self.timed_out = timed_out
        self.secs = secs
        self.timeout = timeout

    @property
    def text(self):
        return self.out + self.err

    def cmdline(self, limit=400):
        s = shlex.join(str(c) for c in self.cmd)
        if len(s) > limit:
            s = s[:limit] + " ... (%d more characters)" % (len(s) - limit)
        return "(cd %s && %s)" % (shlex.quote(self.cwd), s) if self.cwd else s

    def describe(self, full=False):
        lines = ["$ " + self.cmdline()]
        if self.timed_out:
            lines.append("killed: no exit after %g s" % self.timeout)
        else:
            lines.append("exit status %s after %.1f s" % (self.rc, self.secs))
        for label, text in (("stdout", self.out), ("stderr", self.err)):
            tl = text.splitlines()
            if not tl:
                continue
            if not full and len(tl) > TAIL_LINES:
                lines.append("%s (last %d of %d lines):"
                             % (label, TAIL_LINES, len(tl)))
                tl = tl[-TAIL_LINES:]
            else:
                lines.append("%s:" % label)
            lines += ["| " + x for x in tl]
        return lines


class Slots:
    """The -j job slots, granted lowest priority number first."""

    def __init__(self, n):
        self.free = n
        self.cond = threading.Condition()
        self.waiting = []
        self.seq = 0

    def acquire(self, prio):
        with self.cond:
            self.seq += 1
            me = (prio, self.seq)
            heapq.heappush(self.waiting, me)
            while self.free == 0 or self.waiting[0] != me:
                self.cond.wait()
            heapq.heappop(self.waiting)
            self.free -= 1
            self.cond.notify_all()

    def release(self):
        with self.cond:
            self.free += 1
            self.cond.notify_all()


class Memo:
    """Work shared between tests (a build): done once, by its first user.

    A failure is remembered too and raised again, as the same Fail, for
    every later user.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.entries = {}

    def get(self, key, fn):
        with self.lock:
            ent = self.entries.get(key)
            owner = ent is None
            if owner:
                ent = self.entries[key] = [threading.Event(), None, None]
        if owner:
            try:
                ent[1] = fn()
            except BaseException as e:  # noqa: B036 - handed on to waiters
                ent[2] = e
            ent[0].set()
        else:
            ent[0].wait()
        if ent[2] is not None:
            raise ent[2]
        return ent[1]


class Test:
    """name: "<tier>/..."; dynamic: the test reports results named only
    once it runs (one per KTAP case, one per host unit test)."""

    def __init__(self, name, fn, dynamic=False):
        self.name = name
        self.fn = fn
        self.dynamic = dynamic
        self.order = 0
        self.procs = []            # every command the test ran
        self.results = []          # (name, ok, detail lines)
        self.done = False
        self.secs = 0.0


_tls = threading.local()


class Context:
    def __init__(self, root, jobs, accel, verbose):
        self.root = root
        self.out = os.path.join(root, "build", "tests")
        self.jobs = jobs
        # make -j inside one job slot: builds on the critical path use
        # the machine, and slots keep the total load near -j.
        self.make_jobs = jobs
        self.accel = accel
        self.verbose = verbose
        self.slots = Slots(jobs)
        self.memo = Memo()
        self.live = set()
        self.live_lock = threading.Lock()
        self.stopping = False
        self.print_lock = threading.Lock()
        self.summaries = []        # callables returning lines, printed last
        self.env = dict(os.environ)
        # We may run under "make test": its jobserver and level must not
        # leak into the makes we start (they would print "Entering
        # directory" lines and warn about the jobserver).
        for v in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES",
                  "MAKE_TERMOUT", "MAKE_TERMERR", "GNUMAKEFLAGS"):
            self.env.pop(v, None)
        self.env["LC_ALL"] = "C"
        self.env.pop("MICA_ACCEL", None)

    # --- per-test state -------------------------------------------------

    def current(self):
        return getattr(_tls, "test", None)

    def prio(self):
        t = self.current()
        return t.order if t else 1 << 30

    def result(self, name, ok, details=()):
        """Report one result (beyond or instead of the test's own)."""
        self.current().results.append((name, ok, list(details)))

    def note(self, msg):
        if self.verbose:
            t = self.current()
            with self.print_lock:
                sys.stderr.write("  [%s] %s\n" % (t.name if t else "-", msg))
                sys.stderr.flush()

    # --- commands -------------------------------------------------------

    def path(self, *parts):
        return os.path.join(self.out, *parts)

    def run(self, cmd, timeout, cwd=None, env=None, slot=True, stdin=None):
        """Run cmd to completion or kill it (its whole process group)
        after timeout seconds. Returns a Proc; never raises for a non-zero
        status."""
        cmd = [str(c) for c in cmd]
        e = dict(self.env)
        if env:
            e.update(env)
        if slot:
            self.slots.acquire(self.prio())
        try:
            if self.stopping:
                raise Fail("the run is stopping")
            self.note("$ " + shlex.join(cmd))
            t0 = time.monotonic()
            p = subprocess.Popen(cmd, cwd=cwd, env=e,
                                 stdin=subprocess.PIPE if stdin is not None
                                 else subprocess.DEVNULL,
                                 stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE,
                                 start_new_session=True)
            with self.live_lock:
                self.live.add(p)
                if self.stopping:
                    self.kill(p)
            timed_out = False
            try:
                out, err = p.communicate(input=stdin and stdin.encode(),
                                         timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                self.kill(p)
                try:
                    out, err = p.communicate(timeout=10)
                except subprocess.TimeoutExpired:
                    # Something we could not kill still holds the pipes.
                    for f in (p.stdin, p.stdout, p.stderr):
                        if f:
                            f.close()
                    p.wait()
                    out, err = b"", b"(output lost: the pipes stayed open)"
            finally:
                with self.live_lock:
                    self.live.discard(p)
            secs = time.monotonic() - t0
        finally:
            if slot:
                self.slots.release()
        proc = Proc(cmd, cwd, p.returncode, out.decode("utf-8", "replace"),
                    err.decode("utf-8", "replace"), timed_out, secs, timeout)
        t = self.current()
        if t is not None:
            t.procs.append(proc)
        return proc

    def must(self, cmd, timeout, what=None, **kw):
        """Run cmd; fail the test unless it exits 0."""
        p = self.run(cmd, timeout, **kw)
        if p.timed_out or p.rc != 0:
            raise Fail("%s failed" % (what or "command"), p)
        return p

    @staticmethod
    def kill(p):
        """SIGKILL p, its process group and every descendant (a child
        may have started its own session, as mica-run does for QEMU)."""
        victims = descendants(p.pid)
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for pid in [p.pid] + victims:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def kill_all(self):
        with self.live_lock:
            self.stopping = True
            for p in list(self.live):
                self.kill(p)


def descendants(pid):
    """Every live descendant of pid, from /proc."""
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                stat = f.read()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may contain anything.
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1:
            children.setdefault(int(fields[1]), []).append(int(d))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def run_tests(ctx, tests, keep=None, deadline=None, out=sys.stdout):
    """Run every test, print results in order; return (passed, failed).
    keep(test, result name), if given, says which results to show."""
    for i, t in enumerate(tests):
        t.order = i
    counts = [0, 0]
    state = {"next": 0}

    def flush():
        # Caller holds print_lock.
        while state["next"] < len(tests) and tests[state["next"]].done:
            t = tests[state["next"]]
            state["next"] += 1
            for name, ok, details in t.results:
                if keep and not keep(t, name):
                    continue
                counts[0 if ok else 1] += 1
                out.write("%s - %s\n" % ("ok" if ok else "not ok", name))
                if not ok or ctx.verbose:
                    for d in details:
                        out.write("    %s\n" % d)
            if ctx.verbose and all(ok for _, ok, _ in t.results):
                # What a passing test ran and saw (failures show theirs).
                for p in t.procs:
                    for d in p.describe():
                        out.write("    %s\n" % d)
            out.flush()

    def body(t):
        _tls.test = t
        t0 = time.monotonic()
        try:
            t.fn(ctx)
            if not t.results:
                t.results.append((t.name, True, []))
        except Fail as f:
            t.results.append((t.name, False, f.lines(full=ctx.verbose)))
        except Exception:
            t.results.append((t.name, False, ["the test itself crashed:"] +
                              traceback.format_exc().splitlines()))
        t.secs = time.monotonic() - t0
        if ctx.verbose:
            ctx.note("finished in %.1f s" % t.secs)
        with ctx.print_lock:
            if t.done:
                return      # already reported as cut off by the deadline
            t.done = True
            flush()

    threads = [threading.Thread(target=body, args=(t,), daemon=True)
               for t in tests]
    start = time.monotonic()
    for th in threads:
        th.start()
    try:
        for th in threads:
            while th.is_alive():
                th.join(0.5)
                if deadline and time.monotonic() - start > deadline:
                    cut_off(ctx, tests, deadline, flush)
                    return counts
    except KeyboardInterrupt:
        ctx.kill_all()
        raise
    return counts


def cut_off(ctx, tests, deadline, flush):
    """The whole run exceeded its deadline: whatever still runs fails."""
    with ctx.print_lock:
        for t in tests:
            if not t.done:
                t.results.append((t.name, False, [
                    "still running when the whole run reached its "
                    "deadline of %d s: stopped" % deadline]))
                t.done = True
        flush()
    ctx.kill_all()
