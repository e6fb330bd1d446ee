# SPDX-License-Identifier: BSD-3-Clause
"""Small statistics over timing samples (no numpy needed)."""

import math


def median(xs):
    s = sorted(xs)
    n = len(s)
    if n == 0:
        return None
    mid = n // 2
    return s[mid] if n % 2 else (s[mid - 1] + s[mid]) / 2.0


def summary(xs):
    """Return {n, median, min, max, mean, stdev} of xs (None if empty)."""
    xs = list(xs)
    n = len(xs)
    if n == 0:
        return {"n": 0, "median": None, "min": None, "max": None,
                "mean": None, "stdev": None}
    mean = sum(xs) / n
    var = sum((x - mean) ** 2 for x in xs) / (n - 1) if n > 1 else 0.0
    return {"n": n, "median": median(xs), "min": min(xs), "max": max(xs),
            "mean": mean, "stdev": math.sqrt(var)}


def ratio(a, b):
    """a / b, or None when either is missing or b is zero."""
    if a is None or b is None or b == 0:
        return None
    return a / b


def percentile(xs, p):
    """The p-th percentile (0..100) of xs by nearest rank, None if empty."""
    s = sorted(xs)
    if not s:
        return None
    k = max(1, int(math.ceil(p / 100.0 * len(s))))
    return s[min(k, len(s)) - 1]
