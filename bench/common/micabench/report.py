# SPDX-License-Identifier: BSD-3-Clause
"""Output: aligned tables for people, `key: value` lines and JSON for tools.

Keys are dotted paths (boot.hello.median_s); values are numbers, or the
word n/a when a figure could not be measured, or short strings.
"""

import json


def fmt(v, digits=3):
    if v is None:
        return "n/a"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return "%.*f" % (digits, v)
    return str(v)


def table(headers, rows):
    cells = [[str(h) for h in headers]] + [[fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths)))
                     .rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Results:
    """An ordered set of key -> value, printed and saved at the end."""

    def __init__(self):
        self.kv = {}

    def set(self, key, value):
        if isinstance(value, float):
            value = round(value, 6)
        self.kv[key] = value

    def get(self, key, default=None):
        return self.kv.get(key, default)

    def kv_block(self, digits=3):
        lines = []
        for k, v in self.kv.items():
            if isinstance(v, float):
                d = digits if abs(v) < 1000 else 1
                lines.append("%s: %s" % (k, fmt(v, d)))
            else:
                lines.append("%s: %s" % (k, fmt(v)))
        return "\n".join(lines)

    def write_json(self, path):
        with open(path, "w") as f:
            json.dump(self.kv, f, indent=2, sort_keys=False)
            f.write("\n")
