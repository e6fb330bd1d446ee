# SPDX-License-Identifier: BSD-3-Clause
"""A parser for the KTAP version 1 that lib/test prints.

    KTAP version 1
    1..N                         one subtest per suite
        KTAP version 1
        # Subtest: <suite>
        1..M
        # <diagnostic of the next case>
        ok 1 <case>              or "not ok 1 <case>", maybe "# SKIP ..."
        ...
    ok 1 <suite>                 "not ok" when any case failed
    ...
    # mica-test: P passed, F failed

Lines that are not KTAP (boot messages, logs) are ignored. Everything
that contradicts the protocol is collected in Report.errors: a stream
with errors is incomplete or corrupt and its test must fail.
"""

import re

RESULT = re.compile(r"^(ok|not ok) (\d+)(?: (?:- )?([^#]*?))?\s*"
                    r"(?:#\s*(.*))?$")
PLAN = re.compile(r"^1\.\.(\d+)$")
SUMMARY = re.compile(r"^# mica-test: (\d+) passed, (\d+) failed\s*$")
INDENT = "    "


class Case:
    def __init__(self, number, name, ok, directive, diags):
        self.number = number
        self.name = name
        self.ok = ok
        self.directive = directive or ""
        self.diags = diags

    @property
    def skipped(self):
        return self.directive.upper().startswith("SKIP")


class Suite:
    def __init__(self, name):
        self.name = name
        self.plan = None
        self.cases = []
        self.number = None
        self.ok = None            # from the top-level result line
        self.diags = []           # diagnostics not attached to a case


class Report:
    def __init__(self):
        self.found = False        # a top-level "KTAP version 1" was seen
        self.plan = None
        self.suites = []
        self.summary = None       # (passed, failed) from "# mica-test:"
        self.errors = []

    def cases(self):
        for s in self.suites:
            for c in s.cases:
                yield s, c

    def failed_cases(self):
        return sum(1 for _, c in self.cases() if not c.ok)


def parse(text):
    r = Report()
    lines = [ln.rstrip("\r") for ln in text.splitlines()]
    try:
        start = lines.index("KTAP version 1")
    except ValueError:
        r.errors.append("no 'KTAP version 1' line in the output")
        return r
    r.found = True
    cur = None                    # suite whose subtest lines we are in
    diags = []
    for ln in lines[start + 1:]:
        if ln.startswith(INDENT):
            body = ln[len(INDENT):]
            if body == "KTAP version 1":
                if cur is not None:
                    r.errors.append("suite '%s' has no result line"
                                    % cur.name)
                cur = Suite(None)
                diags = []
                continue
            if cur is None:
                continue          # indented noise outside a subtest
            m = re.match(r"^# Subtest: (.*)$", body)
            if m:
                cur.name = m.group(1).strip()
                continue
            m = PLAN.match(body)
            if m:
                if cur.plan is not None:
                    r.errors.append("suite '%s' has two plans" % cur.name)
                cur.plan = int(m.group(1))
                continue
            m = RESULT.match(body)
            if m:
                num = int(m.group(2))
                name = (m.group(3) or "").strip()
                if num != len(cur.cases) + 1:
                    r.errors.append("suite '%s': case number %d out of "
                                    "order (expected %d)"
                                    % (cur.name, num, len(cur.cases) + 1))
                cur.cases.append(Case(num, name, m.group(1) == "ok",
                                      m.group(4), diags))
                diags = []
                continue
            if body.startswith("#"):
                diags.append(body)
            continue
        # Top level.
        m = PLAN.match(ln)
        if m and r.plan is None and not r.suites and cur is None:
            r.plan = int(m.group(1))
            continue
        m = SUMMARY.match(ln)
        if m:
            r.summary = (int(m.group(1)), int(m.group(2)))
            continue
        m = RESULT.match(ln)
        if m and cur is not None:
            name = (m.group(3) or "").strip()
            cur.number = int(m.group(2))
            cur.ok = m.group(1) == "ok"
            cur.diags = diags
            if cur.name is None:
                cur.name = name
            elif name != cur.name:
                r.errors.append("suite '%s' ends with the result line of "
                                "'%s'" % (cur.name, name))
            r.suites.append(cur)
            cur = None
            diags = []
            continue
        if m:
            r.errors.append("result line outside any suite: %r" % ln)
    if cur is not None:
        r.errors.append("the stream ends inside suite '%s' (after %d "
                        "cases)" % (cur.name, len(cur.cases)))
    check(r)
    return r


def check(r):
    if r.plan is None:
        r.errors.append("no top-level plan (1..N)")
    elif r.plan != len(r.suites):
        r.errors.append("plan says %d suites, %d reported"
                        % (r.plan, len(r.suites)))
    for i, s in enumerate(r.suites, 1):
        if s.number != i:
            r.errors.append("suite '%s' numbered %s, expected %d"
                            % (s.name, s.number, i))
        if s.plan is None:
            r.errors.append("suite '%s' has no plan" % s.name)
        elif s.plan != len(s.cases):
            r.errors.append("suite '%s' plans %d cases, %d reported"
                            % (s.name, s.plan, len(s.cases)))
        if s.ok != all(c.ok for c in s.cases):
            r.errors.append("suite '%s' reported %s but its cases say "
                            "otherwise" % (s.name,
                                           "ok" if s.ok else "not ok"))
    passed = sum(1 for _, c in r.cases() if c.ok)
    failed = r.failed_cases()
    if r.summary is None:
        r.errors.append("no final '# mica-test: P passed, F failed' line")
    elif r.summary != (passed, failed):
        r.errors.append("final line says %d passed, %d failed; the cases "
                        "say %d passed, %d failed"
                        % (r.summary + (passed, failed)))
