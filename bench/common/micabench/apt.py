# SPDX-License-Identifier: BSD-3-Clause
"""Debian packages: install only what is missing, fetch a kernel .deb.

Only Debian's own clients are used (dpkg-query, apt-get, apt-cache,
dpkg-deb). `apt-get update` runs only when apt does not know a package.
"""

import glob
import os
import re
import subprocess

_ENV = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
_updated = False


def log(msg):
    print("[apt] " + msg, flush=True)


def installed(pkg):
    p = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg],
                       capture_output=True)
    return p.returncode == 0 and p.stdout.decode().endswith("installed")


def update():
    global _updated
    if not _updated:
        log("apt-get update")
        subprocess.run(["apt-get", "update"], env=_ENV, check=True,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        _updated = True


def ensure(pkgs):
    """apt-get install -y the packages of pkgs that are not installed."""
    missing = [p for p in pkgs if not installed(p)]
    if not missing:
        return
    log("installing " + " ".join(missing))
    argv = ["apt-get", "install", "-y", "--no-install-recommends"] + missing
    p = subprocess.run(argv, env=_ENV, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        update()
        subprocess.run(argv, env=_ENV, stdin=subprocess.DEVNULL, check=True)


def depends(pkg, pattern):
    """The first Depends of pkg matching the regex pattern, or None."""
    for attempt in range(2):
        p = subprocess.run(["apt-cache", "depends", pkg],
                           capture_output=True)
        for line in p.stdout.decode().splitlines():
            m = re.match(r"\s*\|?Depends:\s*(\S+)", line)
            if m and re.fullmatch(pattern, m.group(1)):
                return m.group(1)
        if attempt == 0:
            update()
    return None


def download_and_extract(pkg, cache_dir):
    """apt-get download pkg into cache_dir and dpkg-deb -x it there.

    Returns the extraction root (cache_dir/pkg). Nothing happens when it
    is already extracted."""
    root = os.path.join(cache_dir, pkg)
    stamp = os.path.join(root, ".extracted")
    if os.path.exists(stamp):
        return root
    os.makedirs(cache_dir, exist_ok=True)
    debs = glob.glob(os.path.join(cache_dir, pkg + "_*.deb"))
    if not debs:
        log("apt-get download " + pkg)
        p = subprocess.run(["apt-get", "download", pkg], cwd=cache_dir,
                           stdin=subprocess.DEVNULL, capture_output=True)
        if p.returncode != 0:
            update()
            subprocess.run(["apt-get", "download", pkg], cwd=cache_dir,
                           stdin=subprocess.DEVNULL, capture_output=True,
                           check=True)
        debs = glob.glob(os.path.join(cache_dir, pkg + "_*.deb"))
    log("dpkg-deb -x " + os.path.basename(debs[0]))
    subprocess.run(["dpkg-deb", "-x", debs[0], root], check=True)
    open(stamp, "w").close()
    return root
